using System.Globalization;
using System.Text;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using Gee.External.Capstone.Arm;

namespace ArmEmu.Emulator.Profiling;

/// <summary>
/// Where a trace starts or ends: an instruction count (decimal, "1000") or the first time
/// the PC reaches an address ("0x10074").
/// </summary>
internal readonly record struct TracePoint(bool IsAddress, ulong Value)
{
    public static bool TryParse(string text, out TracePoint point)
    {
        text = text.Trim();
        point = default;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!uint.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint address)) return false;
            point = new TracePoint(true, address);
            return true;
        }
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong count)) return false;
        point = new TracePoint(false, count);
        return true;
    }
}

/// <summary>
/// Writes one line per executed instruction: its index (instructions executed before it),
/// address, processor mode and state, encoding, Capstone's disassembly, then the registers
/// it changed and the memory it read and wrote. The window opens at <c>from</c> (count: the
/// instruction with that index; address: the first time the PC gets there) and closes after
/// <c>to</c> (count: before the instruction with that index; address: after the first
/// instruction executed there once the window is open).
/// </summary>
/// <remarks>
/// It runs the CPU with an instruction hook and a memory observer: a line is completed when
/// the next instruction starts (or at <see cref="Dispose"/>), by comparing the registers with
/// the copy taken before. With the cache model on it also watches the caches
/// (<see cref="ICacheObserver"/>; the memory observer sends every access down the full path,
/// so hits are seen too): the instruction's fetch gets <c>I1:hit</c> or <c>I1:miss</c> (none
/// when the page is not cached), each cached data access <c>D1:hit</c> or <c>D1:miss</c> after
/// it, and a dirty line written back (by an eviction or a clean) <c>WB[pa]</c>.
/// </remarks>
internal sealed class InstructionTracer : IMemoryObserver, ICacheObserver, IDisposable
{
    private readonly Cpu.Cpu _cpu;
    private readonly TextWriter _output;
    private readonly TracePoint? _from, _to;
    private readonly CapstoneArmDisassembler _arm, _thumb;
    private readonly Dictionary<(uint, uint, bool), string> _disassembly = [];
    private readonly uint[] _before = new uint[17];
    private readonly StringBuilder _line = new();
    private readonly StringBuilder _memory = new();
    private bool _open, _closed, _pending, _closeAfterPending;
    private readonly CacheSystem? _caches;
    // A read's cache outcome comes before the memory observer sees the read (which has its value
    // then); a write's after. Notes for a read wait here until the read itself is written.
    private readonly StringBuilder _cacheNotes = new();
    private bool _notesWait;

    public InstructionTracer(Cpu.Cpu cpu, TextWriter output, TracePoint? from = null, TracePoint? to = null)
    {
        _cpu = cpu;
        _output = output;
        _from = from;
        _to = to;
        _arm = new CapstoneArmDisassembler(ArmDisassembleMode.Arm);
        _thumb = new CapstoneArmDisassembler(ArmDisassembleMode.Thumb);
        cpu.InstructionHook += OnInstruction; // beside a profile's region-of-interest hook
        cpu.Memory.Observer = this;
        _caches = cpu.Memory.Caches;
        if (_caches is not null) _caches.Observer = ICacheObserver.Combine(_caches.Observer, this);
    }

    private void OnInstruction(Cpu.Cpu cpu, uint pc, bool thumb)
    {
        Complete();
        if (_closed) return;
        ulong index = cpu.InstructionsExecuted;
        if (!_open)
        {
            _open = _from is not { } f || (f.IsAddress ? pc == f.Value : index >= f.Value);
            if (!_open) return;
        }
        if (_to is { IsAddress: false } t && index >= t.Value)
        {
            Close();
            return;
        }
        Begin(pc, thumb, index);
        if (_to is { IsAddress: true } a && pc == a.Value) _closeAfterPending = true;
    }

    private void Begin(uint pc, bool thumb, ulong index)
    {
        Span<byte> word = stackalloc byte[4];
        word.Clear();
        _cpu.Memory.DebugRead(pc, word[..(thumb ? 2 : 4)]); // no observer, no fault: the CPU reports those itself
        uint op = thumb ? BitConverter.ToUInt16(word) : BitConverter.ToUInt32(word);
        if (thumb && _cpu.Code.Thumb32 is not null && Cpu.Decoding.CodeCache.IsThumb32(op))
        {
            // A 32-bit Thumb-2 instruction: hw1:hw2, as the decoder holds it.
            _cpu.Memory.DebugRead(pc + 2, word[2..]);
            op = op << 16 | BitConverter.ToUInt16(word[2..]);
        }
        _line.Clear();
        _line.Append(CultureInfo.InvariantCulture, $"{index,10} {pc:x8} {ModeName(_cpu.Mode)} {(thumb ? 'T' : 'A')} ");
        _line.Append(thumb && op <= 0xFFFF ? $"{op:x4}    " : $"{op:x8}").Append("  ").Append(Disassemble(pc, op, thumb));
        if (!thumb && op < 0xE000_0000 && !_cpu.ConditionPassed(op >> 28)) _line.Append("  (condition failed)");
        for (int r = 0; r < 15; r++) _before[r] = _cpu.R[r];
        _before[16] = _cpu.Cpsr;
        _memory.Clear();
        _cacheNotes.Clear();
        _notesWait = false;
        _pending = true;
    }

    /// <summary>
    /// The CPU is about to run another thread (Linux user mode): the instruction in progress is
    /// finished with the registers of the thread that ran it, and a line names the thread that
    /// runs from here on.
    /// </summary>
    public void OnThreadSwitch(int tid, int pid)
    {
        Complete();
        if (_open && !_closed) _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"--- thread {tid} (process {pid}) ---"));
    }

    /// <summary>Finishes the line of the instruction in progress with what it changed.</summary>
    private void Complete()
    {
        if (!_pending) return;
        _pending = false;
        var changes = new StringBuilder();
        for (int r = 0; r < 15; r++)
            if (_cpu.R[r] != _before[r]) changes.Append(CultureInfo.InvariantCulture, $" {RegisterName(r)}={_cpu.R[r]:x8}");
        if (_cpu.Cpsr != _before[16]) changes.Append(CultureInfo.InvariantCulture, $" cpsr={_cpu.Cpsr:x8}");
        if (changes.Length > 0 || _memory.Length > 0) _line.Append("  ;").Append(changes).Append(_memory);
        _output.WriteLine(_line.ToString());
        if (_closeAfterPending) Close();
    }

    private void Close()
    {
        _closed = true;
        _pending = false;
        _output.Flush();
    }

    /// <inheritdoc />
    public void OnAccess(uint va, uint pa, int size, AccessKind access, uint value)
    {
        if (!_pending || (access & AccessKind.Fetch) != 0 || (access & AccessKind.Debug) != 0) return;
        bool write = (access & AccessKind.Write) != 0;
        string digits = size switch { 1 => "x2", 2 => "x4", _ => "x8" };
        _memory.Append(CultureInfo.InvariantCulture, $" {(write ? 'W' : 'R')}{size * 8}[{va:x8}]={value.ToString(digits, CultureInfo.InvariantCulture)}");
        if (!write) _memory.Append(_cacheNotes);
        _cacheNotes.Clear();
        _notesWait = false;
    }

    void ICacheObserver.OnFetch(uint va, bool hit) => Note(hit ? " I1:hit" : " I1:miss", waitForAccess: false);

    void ICacheObserver.OnDataRead(uint va, bool hit) => Note(hit ? " D1:hit" : " D1:miss", waitForAccess: true);

    void ICacheObserver.OnDataWrite(uint va, bool hit) => Note(hit ? " D1:hit" : " D1:miss", waitForAccess: false);

    void ICacheObserver.OnWriteBack(uint pa) =>
        Note(string.Create(CultureInfo.InvariantCulture, $" WB[{pa:x8}]"), waitForAccess: _notesWait);

    private void Note(string text, bool waitForAccess)
    {
        if (!_pending) return;
        _notesWait = waitForAccess;
        (waitForAccess ? _cacheNotes : _memory).Append(text);
    }

    private string Disassemble(uint pc, uint op, bool thumb)
    {
        if (_disassembly.TryGetValue((pc, op, thumb), out string? text)) return text;
        byte[] bytes = !thumb ? BitConverter.GetBytes(op)
            : op > 0xFFFF ? [.. BitConverter.GetBytes((ushort)(op >> 16)), .. BitConverter.GetBytes((ushort)op)]
            : BitConverter.GetBytes((ushort)op);
        // Capstone decodes Thumb BL/BLX as one 32-bit instruction; ARMv5 executes its two halves one by one.
        if (thumb && op <= 0xFFFF && (op & 0xF800) == 0xF000)
        {
            bytes = new byte[4];
            BitConverter.TryWriteBytes(bytes, (ushort)op);
            _cpu.Memory.DebugRead(pc + 2, bytes.AsSpan(2));
        }
        if (thumb && op <= 0xFFFF && (op & 0xF800) is 0xF800 or 0xE800)
            text = "(second half of bl/blx)";
        else
        {
            var decoded = (thumb ? _thumb : _arm).Disassemble(bytes, pc);
            text = decoded.Length > 0 ? $"{decoded[0].Mnemonic} {decoded[0].Operand}".TrimEnd() : "(undefined)";
        }
        return _disassembly[(pc, op, thumb)] = text;
    }

    private static string RegisterName(int r) => r switch { 13 => "sp", 14 => "lr", _ => $"r{r}" };

    private static string ModeName(Cpu.ProcessorMode mode) => mode switch
    {
        Cpu.ProcessorMode.User => "usr",
        Cpu.ProcessorMode.Fiq => "fiq",
        Cpu.ProcessorMode.Irq => "irq",
        Cpu.ProcessorMode.Supervisor => "svc",
        Cpu.ProcessorMode.Abort => "abt",
        Cpu.ProcessorMode.Undefined => "und",
        Cpu.ProcessorMode.System => "sys",
        Cpu.ProcessorMode.Monitor => "mon",
        _ => "???",
    };

    /// <summary>Writes the last line and detaches from the CPU.</summary>
    public void Dispose()
    {
        Complete();
        _output.Flush();
        _cpu.InstructionHook -= OnInstruction;
        _cpu.Memory.Observer = null;
        if (_caches is not null) _caches.Observer = ICacheObserver.Remove(_caches.Observer, this);
        _arm.Dispose();
        _thumb.Dispose();
    }
}
