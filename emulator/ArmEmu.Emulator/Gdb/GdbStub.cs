using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ArmEmu.Emulator.Gdb;

/// <summary>
/// The GDB remote stub (the remote serial protocol of the GDB manual, appendix E, as
/// gdb-multiarch 13 speaks it) over TCP, for any <see cref="GdbTarget"/>. It runs on the
/// caller's thread: while the guest runs it runs the machine a slice at a time and looks at
/// the connection between slices (Ctrl-C, a dropped client, a new client); while the guest
/// is stopped it answers packets. One debugger at a time: a second client is accepted and
/// closed at once. A client that goes away takes its breakpoints with it and the guest runs
/// on, as with QEMU.
/// </summary>
internal sealed class GdbStub : IDisposable
{
    /// <summary>Instructions run between two looks at the connection (Ctrl-C latency: a few ms).</summary>
    public const long SliceInstructions = 200_000;

    private readonly GdbTarget _target;
    private readonly TcpListener _listener;
    private readonly TextWriter? _log;
    private readonly MonitorCommands _monitor;
    private GdbConnection? _session;
    private bool _stopped, _stepping, _multiprocess;
    private int _continueThread = -1; // Hc: the thread s and c act on (-1: all)
    private GdbStop _lastStop = new(GdbStop.SigTrap, "");
    private GdbRunEnd? _killed;
    private volatile bool _shutdown;

    /// <param name="log">Where the stub says what happens to connections (one line each); null: nowhere.</param>
    /// <param name="target">The machine the debugger controls.</param>
    /// <param name="listener">The socket gdb connects to (already listening).</param>
    public GdbStub(GdbTarget target, TcpListener listener, TextWriter? log)
    {
        _target = target;
        _listener = listener;
        _log = log;
        _monitor = new MonitorCommands(target);
    }

    /// <summary>Starts listening on <paramref name="address"/>:<paramref name="port"/> (0: a free port).</summary>
    public static TcpListener Listen(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        listener.Start(4);
        return listener;
    }

    /// <summary>The port the stub listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>
    /// Runs the target under the stub until it ends. With <paramref name="waitForClient"/> nothing
    /// executes before gdb connects (qemu-arm -g, qemu-system-arm -S); otherwise the guest runs and
    /// stops when a client connects.
    /// </summary>
    public GdbRunEnd Run(bool waitForClient)
    {
        if (waitForClient)
        {
            try
            {
                Attach(_listener.AcceptSocket());
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return new GdbRunEnd(GdbRunEndKind.Killed, 0); // shut down before anyone came
            }
        }
        while (true)
        {
            if (_shutdown) return _killed ??= new GdbRunEnd(GdbRunEndKind.Killed, 0);
            if (_killed is { } killed) return killed;
            if (_session is { IsClosed: true }) Drop("gdb went away; the guest runs on");
            if (_session is null || !_stopped)
            {
                var end = _target.Run(_stepping ? 1 : SliceInstructions, out var stop);
                if (end is not null)
                {
                    ReportEnd(end);
                    return end;
                }
                if (stop is { } s)
                {
                    if (_session is not null) ReportStop(s);
                    else if (s.Signal != GdbStop.SigTrap) _target.ResumeWithSignal(s.Signal); // nobody to ask: deliver it
                    continue;
                }
                if (_stepping && _session is not null)
                {
                    ReportStop(new GdbStop(GdbStop.SigTrap, ""));
                    continue;
                }
                LookAtConnections();
                continue;
            }
            ServeStopped();
        }
    }

    /// <summary>Between two slices of a running guest: an interrupt, a dropped client, or a new one.</summary>
    private void LookAtConnections()
    {
        if (_session is { } session)
        {
            while (session.HasInput)
            {
                var kind = session.Read(out _, timeoutMs: 0);
                if (kind == GdbInputKind.Interrupt)
                {
                    ReportStop(new GdbStop(GdbStop.SigInt, ""));
                    return;
                }
                if (kind == GdbInputKind.Closed)
                {
                    Drop("gdb went away; the guest runs on");
                    return;
                }
                if (kind == GdbInputKind.Timeout) break;
                // A packet while running (all-stop mode has none): it is acknowledged and dropped.
            }
            RefuseOthers();
        }
        else if (_listener.Pending())
        {
            Attach(_listener.AcceptSocket());
        }
    }

    /// <summary>The guest is stopped: answer one packet (or notice the client left).</summary>
    private void ServeStopped()
    {
        var session = _session!;
        var kind = session.Read(out byte[] packet, timeoutMs: 200);
        switch (kind)
        {
            case GdbInputKind.Timeout:
                RefuseOthers();
                return;
            case GdbInputKind.Closed:
                Drop("gdb went away; the guest runs on");
                return;
            case GdbInputKind.Interrupt:
                return; // already stopped
            case GdbInputKind.Oversized:
                session.Send("E22");
                return;
        }
        string? reply;
        try
        {
            reply = Handle(packet);
        }
        catch (FormatException)
        {
            reply = "E22";
        }
        catch (OverflowException)
        {
            reply = "E22";
        }
        if (reply is not null) session.Send(reply);
        if (kind == GdbInputKind.Packet && packet.Length > 0 && packet[0] == 'Q' && Encoding.ASCII.GetString(packet) == "QStartNoAckMode")
            session.NoAck = true;
    }

    private void Attach(Socket socket)
    {
        _session = new GdbConnection(socket);
        _stopped = true;
        _stepping = false;
        _multiprocess = false;
        _lastStop = new GdbStop(GdbStop.SigTrap, "");
        SelectStoppedThread();
        _target.OnDebuggerAttached();
        _log?.WriteLine($"armemu: gdb connected from {socket.RemoteEndPoint}");
    }

    private void Drop(string why)
    {
        _session?.Close();
        _session = null;
        _target.Points.Clear();
        _stopped = false;
        _stepping = false;
        _target.OnDebuggerDetached();
        _log?.WriteLine($"armemu: {why}");
    }

    /// <summary>A second debugger is refused: accepted and closed at once, with one line.</summary>
    private void RefuseOthers()
    {
        while (_listener.Pending())
        {
            using var other = _listener.AcceptSocket();
            _log?.WriteLine($"armemu: refused a second gdb connection from {other.RemoteEndPoint} (one debugger at a time)");
            other.Close();
        }
    }

    /// <summary>At a stop gdb addresses the thread that stopped, until it says otherwise (H).</summary>
    private void SelectStoppedThread()
    {
        _target.SelectedThread = _target.Threads.Running;
        _continueThread = -1;
    }

    private void ReportStop(GdbStop stop)
    {
        SelectStoppedThread();
        _lastStop = stop;
        _stopped = true;
        _stepping = false;
        _session?.Send(StopReply(stop));
    }

    private string StopReply(GdbStop stop) => $"T{stop.Signal:x2}{stop.Reason}thread:{FormatThread(_target.Threads.Running)};";

    /// <summary>A thread id as gdb expects it: pPID.TID once it asked for multiprocess ids, else TID (hex).</summary>
    private string FormatThread(int id) =>
        _multiprocess ? $"p{_target.Threads.ProcessId:x}.{id:x}" : id.ToString("x", CultureInfo.InvariantCulture);

    private void ReportEnd(GdbRunEnd end)
    {
        if (_session is not { } session) return;
        switch (end.Kind)
        {
            case GdbRunEndKind.Exited:
                session.Send($"W{end.Code & 0xFF:x2}");
                break;
            case GdbRunEndKind.Signalled:
                session.Send($"X{end.Code & 0x7F:x2}");
                break;
            case GdbRunEndKind.InstructionLimit:
                session.Send("W7c"); // armemu's exit status for --max-insns
                break;
            case GdbRunEndKind.Halted:
                session.Send("W7b"); // and for a machine that can make no progress
                break;
        }
        session.Close();
        _session = null;
    }

    // ---- packets -----------------------------------------------------------------------------

    /// <summary>The reply to one packet; null when it resumes the guest (the reply comes at the next stop).</summary>
    private string? Handle(byte[] packet)
    {
        if (packet.Length == 0) return "";
        string text = Encoding.Latin1.GetString(packet);
        switch (text[0])
        {
            case '?': return StopReply(_lastStop);
            case 'q': return Query(text);
            case 'Q': return text == "QStartNoAckMode" ? "OK" : "";
            case 'H': return text.Length >= 3 ? SelectThread(text[1], ParseThread(text[2..])) : "E22";
            case 'T': return _target.Threads.Ids.Contains(ParseThread(text[1..])) ? "OK" : "E01";
            case 'g': return ReadAllRegisters();
            case 'G': return WriteAllRegisters(text[1..]);
            case 'p': return ReadRegister(ParseHex(text[1..]));
            case 'P': return WriteRegister(text[1..]);
            case 'm': return ReadMemory(text[1..]);
            case 'M': return WriteMemoryHex(text[1..]);
            case 'X': return WriteMemoryBinary(packet);
            case 'c': return Resume(0, step: false, text.Length > 1 ? text[1..] : null);
            case 's': return Resume(0, step: true, text.Length > 1 ? text[1..] : null);
            case 'C': return ResumeWithSignal(text[1..], step: false);
            case 'S': return ResumeWithSignal(text[1..], step: true);
            case 'v': return VerbosePacket(text);
            case 'Z': return Points(text[1..], insert: true);
            case 'z': return Points(text[1..], insert: false);
            case 'k':
                Kill();
                return null;
            case 'D':
                _session?.Send("OK");
                Drop("gdb detached; the guest runs on");
                return null;
            default: return "";
        }
    }

    /// <summary>Hg (the thread g/G/p/P address) and Hc (the thread s/c act on); -1 and 0 mean all and any.</summary>
    private string SelectThread(char operation, int id)
    {
        var threads = _target.Threads;
        if (id > 0 && !threads.Ids.Contains(id)) return "E01";
        switch (operation)
        {
            case 'g':
                _target.SelectedThread = id > 0 ? id : threads.Running;
                return "OK";
            case 'c':
                _continueThread = id > 0 ? id : -1;
                return "OK";
            default:
                return "E22";
        }
    }

    private string Query(string text)
    {
        if (text.StartsWith("qSupported", StringComparison.Ordinal))
        {
            // gdb offers multiprocess+; taking it, thread ids become pPID.TID, as qemu-arm's.
            _multiprocess = text.Contains("multiprocess+", StringComparison.Ordinal);
            var features = new StringBuilder($"PacketSize={GdbConnection.MaxPacketBytes:x};qXfer:features:read+;qXfer:threads:read+");
            if (_multiprocess) features.Append(";multiprocess+");
            if (_target.AuxiliaryVector is not null) features.Append(";qXfer:auxv:read+");
            if (_target.ExecutablePath is not null) features.Append(";qXfer:exec-file:read+");
            if (_target.HasSignalInfo) features.Append(";qXfer:siginfo:read+");
            features.Append(";swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+");
            return features.ToString();
        }
        if (text == "qAttached" || text.StartsWith("qAttached:", StringComparison.Ordinal)) return _target.AttachedToExisting ? "1" : "0";
        if (text == "qC") return $"QC{FormatThread(_target.Threads.Running)}";
        if (text == "qfThreadInfo") return "m" + string.Join(',', _target.Threads.Ids.Select(FormatThread));
        if (text == "qsThreadInfo") return "l";
        if (text.StartsWith("qThreadExtraInfo,", StringComparison.Ordinal))
            return Hex(Encoding.UTF8.GetBytes(_target.Threads.NameOf(ParseThread(text["qThreadExtraInfo,".Length..]))));
        if (text == "qSymbol::") return "OK";
        if (text.StartsWith("qRcmd,", StringComparison.Ordinal)) return Monitor(text["qRcmd,".Length..]);
        if (text.StartsWith("qXfer:", StringComparison.Ordinal)) return Transfer(text);
        return "";
    }

    /// <summary>qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH.</summary>
    private string Transfer(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 5 || parts[2] != "read") return "";
        byte[]? data = parts[1] switch
        {
            "features" => parts[3] == "target.xml" ? _target.Description.Xml : null,
            "auxv" => _target.AuxiliaryVector,
            "exec-file" => _target.ExecutablePath is { } path ? Encoding.UTF8.GetBytes(path) : null,
            "siginfo" => _target.SignalInfo,
            "threads" => Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<threads>\n"
                + string.Concat(_target.Threads.Ids.Select(id => $"<thread id=\"{FormatThread(id)}\" core=\"0\" name=\"{Escape(_target.Threads.NameOf(id))}\"/>\n"))
                + "</threads>\n"),
            _ => null,
        };
        if (data is null)
            return parts[1] switch
            {
                "siginfo" when _target.HasSignalInfo => "E01", // no signal at this stop
                "features" or "auxv" or "exec-file" or "threads" => "E00",
                _ => "",
            };
        var (offset, length) = ParseRange(parts[4]);
        if (offset >= (uint)data.Length) return "l";
        int count = (int)Math.Min(Math.Min(length, (uint)data.Length - offset), GdbConnection.MaxPacketBytes / 2);
        bool last = offset + (uint)count >= (uint)data.Length;
        return (last ? "l" : "m") + Encoding.Latin1.GetString(data, (int)offset, count);
    }

    private string Monitor(string hex)
    {
        string command = Encoding.UTF8.GetString(FromHex(hex));
        string output = _monitor.Execute(command);
        // Console output goes as O packets (hex), then the final OK.
        const int Chunk = 1024;
        byte[] bytes = Encoding.UTF8.GetBytes(output);
        for (int i = 0; i < bytes.Length; i += Chunk)
            _session?.Send("O" + Hex(bytes.AsSpan(i, Math.Min(Chunk, bytes.Length - i))));
        return "OK";
    }

    private string? VerbosePacket(string text)
    {
        if (text == "vCont?") return "vCont;c;C;s;S";
        if (text.StartsWith("vCont;", StringComparison.Ordinal)) return ContinueActions(text["vCont;".Length..]);
        if (text.StartsWith("vKill", StringComparison.Ordinal))
        {
            _session?.Send("OK");
            Kill();
            return null;
        }
        return ""; // vMustReplyEmpty, vFile, vRun...: not supported
    }

    /// <summary>
    /// vCont's actions, for all-stop mode on one processor: every thread resumes; a step action
    /// (the leftmost that names a live thread or all of them) makes that thread the one that
    /// steps, and the others run only if the scheduler gives them the processor meanwhile. A
    /// signal goes with the action that carries it.
    /// </summary>
    private string? ContinueActions(string actions)
    {
        (char Verb, int Signal, int Thread)? step = null, resume = null;
        foreach (string action in actions.Split(';'))
        {
            if (action.Length == 0) return "E22";
            int colon = action.IndexOf(':');
            string verb = colon < 0 ? action : action[..colon];
            int thread = colon < 0 ? -1 : ParseThread(action[(colon + 1)..]);
            if (thread > 0 && !_target.Threads.Ids.Contains(thread)) continue;
            int signal = verb[0] is 'C' or 'S' ? ParseHex(verb[1..]) : 0;
            switch (verb[0])
            {
                case 's' or 'S':
                    step ??= (verb[0], signal, thread);
                    break;
                case 'c' or 'C':
                    resume ??= (verb[0], signal, thread);
                    break;
                case 't':
                    break;
                default:
                    return "E22";
            }
        }
        if (step is { } s) return Resume(s.Signal, step: true, null, s.Thread);
        if (resume is { } c) return Resume(c.Signal, step: false, null, c.Thread);
        return "OK"; // only stop actions: every thread is stopped already
    }

    private string? ResumeWithSignal(string args, bool step)
    {
        int semicolon = args.IndexOf(';');
        int signal = ParseHex(semicolon < 0 ? args : args[..semicolon]);
        return Resume(signal, step, semicolon < 0 ? null : args[(semicolon + 1)..]);
    }

    /// <summary>
    /// Resumes the guest. A step of a thread other than the running one gives it the processor
    /// first; if it cannot run now (it waits in a system call), every thread runs and the step
    /// ends once that thread has run one instruction.
    /// </summary>
    private string? Resume(int signal, bool step, string? address, int thread = 0)
    {
        if (thread <= 0) thread = _continueThread;
        var threads = _target.Threads;
        bool waitForThread = false;
        if (step && thread > 0 && thread != threads.Running && !threads.MakeRunning(thread))
        {
            // Stop before the thread's second instruction: the step is one instruction of its own.
            int wanted = thread;
            bool ran = false;
            _target.Points.StopWhen(() =>
            {
                if (threads.Running != wanted) return false;
                if (ran) return true;
                ran = true;
                return false;
            });
            waitForThread = true;
        }
        if (address is { Length: > 0 }) _target.Cpu.PC = (uint)ParseHex(address);
        _target.ResumeWithSignal(signal);
        _target.Points.ResumeFrom(_target.Cpu.PC);
        _stopped = false;
        _stepping = step && !waitForThread;
        return null;
    }

    private void Kill()
    {
        _target.Kill();
        _killed = new GdbRunEnd(GdbRunEndKind.Killed, 0);
        _session?.Close();
        _session = null;
        _log?.WriteLine("armemu: killed by gdb");
    }

    private string Points(string args, bool insert)
    {
        var parts = args.Split(',');
        if (parts.Length < 3) return "E22";
        if (parts[0] is not ("0" or "1" or "2" or "3" or "4")) return ""; // not supported
        // A conditions list after ';' (Z0 with target-side conditions) is not advertised, so not expected.
        uint address = (uint)ParseHex(parts[1]);
        uint kind = (uint)ParseHex(parts[2].Split(';')[0]);
        var points = _target.Points;
        bool ok = parts[0] switch
        {
            "0" => insert ? points.AddBreakpoint(address, hardware: false) : points.RemoveBreakpoint(address, hardware: false),
            "1" => insert ? points.AddBreakpoint(address, hardware: true) : points.RemoveBreakpoint(address, hardware: true),
            "2" or "3" or "4" => insert ? points.AddWatchpoint(address, kind, (WatchKind)(parts[0][0] - '0'))
                                        : points.RemoveWatchpoint(address, kind, (WatchKind)(parts[0][0] - '0')),
            _ => false,
        };
        return ok ? "OK" : "E22";
    }

    // ---- registers and memory ----------------------------------------------------------------

    private string ReadAllRegisters()
    {
        var text = new StringBuilder();
        Span<byte> value = stackalloc byte[16];
        foreach (int r in _target.Description.GPacketRegisters)
        {
            var feature = _target.Description.FeatureOf(r)!;
            int size = feature.SizeOf(r);
            feature.TryRead(r, value[..size]);
            text.Append(Hex(value[..size]));
        }
        return text.ToString();
    }

    private string WriteAllRegisters(string hex)
    {
        byte[] bytes = FromHex(hex);
        int at = 0;
        foreach (int r in _target.Description.GPacketRegisters)
        {
            var feature = _target.Description.FeatureOf(r)!;
            int size = feature.SizeOf(r);
            if (at + size > bytes.Length) break; // a short G packet writes the registers it covers
            feature.TryWrite(r, bytes.AsSpan(at, size));
            at += size;
        }
        return "OK";
    }

    private string ReadRegister(int regnum)
    {
        if (_target.Description.FeatureOf(regnum) is not { } feature) return "E01";
        Span<byte> value = stackalloc byte[16];
        int size = feature.SizeOf(regnum);
        feature.TryRead(regnum, value[..size]);
        return Hex(value[..size]);
    }

    private string WriteRegister(string args)
    {
        int eq = args.IndexOf('=');
        if (eq < 0) return "E22";
        int regnum = ParseHex(args[..eq]);
        if (_target.Description.FeatureOf(regnum) is not { } feature) return "E01";
        byte[] value = FromHex(args[(eq + 1)..]);
        return value.Length == feature.SizeOf(regnum) && feature.TryWrite(regnum, value) ? "OK" : "E22";
    }

    private string ReadMemory(string args)
    {
        var (address, length) = ParseRange(args);
        length = Math.Min(length, GdbConnection.MaxPacketBytes / 2);
        var data = new byte[length];
        return _target.Memory.DebugRead(address, data) ? Hex(data) : "E01";
    }

    private string WriteMemoryHex(string args)
    {
        int colon = args.IndexOf(':');
        if (colon < 0) return "E22";
        var (address, length) = ParseRange(args[..colon]);
        byte[] data = FromHex(args[(colon + 1)..]);
        if (data.Length != length) return "E22";
        return WriteMemory(address, data);
    }

    private string WriteMemoryBinary(byte[] packet)
    {
        int colon = Array.IndexOf(packet, (byte)':');
        if (colon < 0) return "E22";
        var (address, length) = ParseRange(Encoding.Latin1.GetString(packet, 1, colon - 1));
        var data = packet.AsSpan(colon + 1);
        if (data.Length != length) return "E22";
        return WriteMemory(address, data);
    }

    private string WriteMemory(uint address, ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return "OK"; // gdb probes X support with an empty write
        if (!_target.Memory.DebugWrite(address, data)) return "E01";
        // Code may have changed under the decoded instructions: they are checked against memory
        // word by word, and a poke drops the I-cache line, so nothing else is needed.
        return "OK";
    }

    // ---- parsing -----------------------------------------------------------------------------

    private static (uint Address, uint Length) ParseRange(string text)
    {
        int comma = text.IndexOf(',');
        if (comma < 0) throw new FormatException();
        return ((uint)ParseHex(text[..comma]), (uint)ParseHex(text[(comma + 1)..]));
    }

    private static int ParseHex(string text)
    {
        if (text.Length is 0 or > 8) throw new FormatException();
        return (int)uint.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>A thread id: hex, -1 (all) or 0 (any); the pPID.TID form takes the TID, pPID means all.</summary>
    private static int ParseThread(string text)
    {
        if (text.StartsWith('p'))
        {
            int dot = text.IndexOf('.');
            if (dot < 0) return -1; // pPID: all the process's threads
            text = text[(dot + 1)..];
        }
        if (text == "-1") return -1;
        return ParseHex(text);
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static byte[] FromHex(string hex)
    {
        if ((hex.Length & 1) != 0) throw new FormatException();
        return Convert.FromHexString(hex);
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace("\"", "&quot;");

    /// <summary>Ends <see cref="Run"/> from another thread (an embedding program, a test): it returns Killed.</summary>
    public void Shutdown()
    {
        _shutdown = true;
        _target.Cpu.RequestStop();
    }

    public void Dispose()
    {
        _session?.Close();
        _listener.Stop();
    }
}
