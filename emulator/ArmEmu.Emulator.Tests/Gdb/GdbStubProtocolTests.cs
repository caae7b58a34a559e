using System.Net;
using System.Text;
using ArmEmu.Emulator.Boards;
using ArmEmu.Emulator.Gdb;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Gdb;

/// <summary>
/// The remote serial protocol packet by packet, against a Versatile PB running a small loop,
/// with a scripted client: every packet the stub answers, and malformed input (bad checksum,
/// truncated, unknown, oversized), a dropped connection and a second client. Each test runs
/// the stub on its own thread on a free port and bounds every wait.
/// </summary>
public sealed class GdbStubProtocolTests : IDisposable
{
    // r1 = 0x1000; r0 = 1; loop: r0++; [r1] = r0; r2 = [r1]; b loop
    private const string Program = """
        .arm
            mov r1, #0x1000
            mov r0, #1
        loop:
            add r0, r0, #1
            str r0, [r1]
            ldr r2, [r1]
            b loop
        """;
    private const uint Loop = 0x8, Store = 0xC, Load = 0x10;
    private const long Limit = 5_000_000;

    private readonly VersatilePb _board;
    private GdbStub _stub = null!;
    private Task<GdbRunEnd> _run = null!;
    private readonly StringWriter _log = new();

    public GdbStubProtocolTests()
    {
        _board = new VersatilePb(new VersatilePbOptions { MemorySize = 1 << 20 });
        _board.LoadRaw(GnuToolchain.Assemble(Program, origin: 0), 0, 0);
    }

    /// <summary>Starts the stub (the guest may run at most <paramref name="limit"/> instructions) and connects to it.</summary>
    private ScriptedGdbClient Connect(long limit = Limit)
    {
        if (_stub is null)
        {
            var target = new BareMetalTarget(_board) { InstructionLimit = limit };
            _stub = new GdbStub(target, GdbStub.Listen(IPAddress.Loopback, 0), TextWriter.Synchronized(_log));
            _run = Task.Run(() => _stub.Run(waitForClient: true));
        }
        return new ScriptedGdbClient(_stub.Port);
    }

    public void Dispose()
    {
        if (_stub is null)
        {
            _board.Dispose();
            return;
        }
        _stub.Shutdown();
        using (var unblock = new System.Net.Sockets.TcpClient())
            unblock.Connect(IPAddress.Loopback, _stub.Port); // a stub still waiting for its first client
        Assert.True(_run.Wait(TimeSpan.FromSeconds(20)), "the stub did not shut down");
        _stub.Dispose();
        _board.Dispose();
    }

    private GdbRunEnd WaitForEnd()
    {
        Assert.True(_run.Wait(TimeSpan.FromSeconds(30)), "the stub did not finish");
        return _run.Result;
    }

    private static uint Register(ScriptedGdbClient gdb, int regnum) =>
        BitConverter.ToUInt32(Convert.FromHexString(gdb.Ask($"p{regnum:x}")));

    [Fact]
    public void HandshakeAdvertisesFeaturesAndReportsTheInitialStop()
    {
        using var gdb = Connect();
        string supported = gdb.Ask("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vContSupported+;QThreadEvents+;no-resumed+;xmlRegisters=i386");
        Assert.Contains("PacketSize=4000", supported);
        Assert.Contains("qXfer:features:read+", supported);
        Assert.Contains("swbreak+", supported);
        Assert.DoesNotContain("qXfer:auxv:read+", supported); // a board has no auxv
        Assert.Equal("", gdb.Ask("vMustReplyEmpty"));
        Assert.Contains("multiprocess+", supported);           // offered by gdb, taken: ids are pPID.TID, as qemu-system-arm's
        Assert.Equal("OK", gdb.Ask("Hg0"));
        Assert.Equal("T05thread:p1.1;", gdb.Ask("?"));
        Assert.Equal("1", gdb.Ask("qAttached"));
        Assert.Equal("QCp1.1", gdb.Ask("qC"));
        Assert.Equal("mp1.1", gdb.Ask("qfThreadInfo"));
        Assert.Equal("l", gdb.Ask("qsThreadInfo"));
        Assert.Equal("OK", gdb.Ask("T1"));
        Assert.Equal("OK", gdb.Ask("Tp1.1"));
        Assert.Equal("E01", gdb.Ask("T2"));
        Assert.Equal("E01", gdb.Ask("Hgp1.2"));
        Assert.Contains("<thread id=\"p1.1\"", gdb.Ask("qXfer:threads:read::0,1000"));
        Assert.Equal("vCont;c;C;s;S", gdb.Ask("vCont?"));
    }

    [Fact]
    public void TargetXmlNamesTheArmCoreInPieces()
    {
        using var gdb = Connect();
        string whole = gdb.Ask("qXfer:features:read:target.xml:0,3fff");
        Assert.StartsWith("l", whole);
        Assert.Contains("<architecture>arm</architecture>", whole);
        Assert.Contains("org.gnu.gdb.arm.core", whole);
        Assert.Contains("name=\"cpsr\" bitsize=\"32\" regnum=\"25\"", whole);
        // Read in 100-byte pieces: m until the last, l, and the pieces add up.
        var pieces = new StringBuilder();
        for (int offset = 0; ; offset += 100)
        {
            string piece = gdb.Ask($"qXfer:features:read:target.xml:{offset:x},64");
            pieces.Append(piece[1..]);
            if (piece[0] == 'l') break;
            Assert.Equal('m', piece[0]);
        }
        Assert.Equal(whole[1..], pieces.ToString());
        Assert.Equal("E00", gdb.Ask("qXfer:features:read:other.xml:0,100"));
        Assert.Equal("E00", gdb.Ask("qXfer:auxv:read::0,100")); // no auxv on a board
    }

    [Fact]
    public void RegistersReadAndWrite()
    {
        using var gdb = Connect();
        string g = gdb.Ask("g");
        Assert.Equal(17 * 8, g.Length);                       // r0-r15 and cpsr
        Assert.Equal("d3000000", g[^8..]);                    // reset CPSR 0xd3 (SVC, I and F set), little-endian
        Assert.Equal(0xD3u, Register(gdb, 25));
        Assert.Equal("OK", gdb.Ask("P3=78563412"));
        Assert.Equal(0x12345678u, _board.Cpu.R[3]);
        Assert.Equal("OK", gdb.Ask("Pf=08000000"));
        Assert.Equal(8u, _board.Cpu.PC);
        Assert.Equal("E01", gdb.Ask("p10"));                  // 16: no such register in the description
        Assert.Equal("E22", gdb.Ask("P3"));
        Assert.Equal("E22", gdb.Ask("P3=1234"));              // wrong size
        // G writes every register, p reads them back.
        var bytes = Convert.FromHexString(g);
        bytes[4 * 5] = 0x55;
        Assert.Equal("OK", gdb.Ask("G" + Convert.ToHexStringLower(bytes)));
        Assert.Equal(0x55u, _board.Cpu.R[5]);
    }

    [Fact]
    public void MemoryReadsAreCoherentAndUnmappedAnswersE01()
    {
        using var gdb = Connect();
        Assert.Equal("011aa0e3" + "0100a0e3", gdb.Ask("m0,8")); // mov r1, #0x1000; mov r0, #1
        Assert.Equal("E01", gdb.Ask("m20000000,4"));            // nothing at 512 MiB
        Assert.Equal("E22", gdb.Ask("mzz,4"));
        Assert.Equal("E22", gdb.Ask("m100"));
        Assert.Equal("OK", gdb.Ask("M2000,4:deadbeef"));
        Assert.Equal("deadbeef", gdb.Ask("m2000,4"));
        Assert.Equal("E22", gdb.Ask("M2000,4:dead"));
        Assert.Equal("E01", gdb.Ask("M20000000,1:00"));
        // X carries binary: '#' (0x23), '$' (0x24) and '}' (0x7d) escaped as } then byte ^ 0x20.
        Assert.Equal("OK", gdb.Ask("X2000,4:}\u0003}\u0004}]\u0001"));
        Assert.Equal("23247d01", gdb.Ask("m2000,4"));
        Assert.Equal("OK", gdb.Ask("X2000,0:"));               // gdb's probe for X
    }

    [Fact]
    public void AReadOfADeviceRegisterHasNoSideEffect()
    {
        // A byte waiting in UART0's receive FIFO: a debugger's read must not pop it.
        var uart = _board.Bus.FindDevice(VersatilePb.Uart0Base)!.Value.Device;
        using var gdb = Connect();
        Assert.Equal("E01", gdb.Ask($"m{VersatilePb.Uart0Base:x},4"));
        Assert.Equal("E01", gdb.Ask($"M{VersatilePb.Uart0Base:x},4:41000000")); // and never writes one
        Assert.Same(uart, _board.Bus.FindDevice(VersatilePb.Uart0Base)!.Value.Device);
    }

    [Fact]
    public void SoftwareBreakpointStopsBeforeTheInstructionWithoutChangingMemory()
    {
        using var gdb = Connect();
        Assert.Equal("OK", gdb.Ask($"Z0,{Store:x},4"));
        Assert.Equal("e5810000", Swap(gdb.Ask($"m{Store:x},4")));   // memory still holds the STR
        Assert.Equal("T05swbreak:;thread:1;", gdb.Ask("c"));
        Assert.Equal(Store, Register(gdb, 15));
        Assert.Equal(2u, Register(gdb, 0));
        Assert.Equal("00000000", gdb.Ask("m1000,4"));               // the STR has not run
        Assert.Equal("T05swbreak:;thread:1;", gdb.Ask("c"));        // once round the loop
        Assert.Equal(3u, Register(gdb, 0));
        Assert.Equal("02000000", gdb.Ask("m1000,4"));
        Assert.Equal("OK", gdb.Ask($"z0,{Store:x},4"));
        Assert.Equal("T05thread:1;", gdb.Ask("s"));                 // a step runs the STR
        Assert.Equal(Load, Register(gdb, 15));
        Assert.Equal("03000000", gdb.Ask("m1000,4"));
    }

    [Fact]
    public void HardwareBreakpointAndVContStep()
    {
        using var gdb = Connect();
        Assert.Equal("OK", gdb.Ask($"Z1,{Load:x},4"));
        Assert.Equal("T05hwbreak:;thread:1;", gdb.Ask("vCont;c"));
        Assert.Equal(Load, Register(gdb, 15));
        Assert.Equal("OK", gdb.Ask($"z1,{Load:x},4"));
        Assert.Equal("T05thread:1;", gdb.Ask("vCont;s:1;c"));
        Assert.Equal(Load + 4, Register(gdb, 15));
        Assert.Equal("T05thread:1;", gdb.Ask($"s{Loop:x}"));        // s ADDR resumes at ADDR
        Assert.Equal(Loop + 4, Register(gdb, 15));
        Assert.Equal("", gdb.Ask("Z9,0,4"));                        // unknown kind: not supported
        Assert.Equal("E22", gdb.Ask("Z0,10"));
    }

    [Fact]
    public void WatchpointsStopAtTheAccessingInstructionBeforeItsEffect()
    {
        using var gdb = Connect();
        Assert.Equal("OK", gdb.Ask("Z2,1000,4"));
        Assert.Equal("T05watch:1000;thread:1;", gdb.Ask("c"));
        Assert.Equal(Store, Register(gdb, 15));                     // at the STR (gdb steps it itself)
        Assert.Equal("00000000", gdb.Ask("m1000,4"));               // which has not written yet
        Assert.Equal("T05thread:1;", gdb.Ask("s"));                 // a step from the stop runs it
        Assert.Equal("02000000", gdb.Ask("m1000,4"));
        Assert.Equal("T05watch:1000;thread:1;", gdb.Ask("c"));      // and so does continuing: the next STR stops
        Assert.Equal("02000000", gdb.Ask("m1000,4"));
        Assert.Equal(3u, Register(gdb, 0));
        Assert.Equal("OK", gdb.Ask("z2,1000,4"));
        Assert.Equal("OK", gdb.Ask("Z3,1002,1"));                   // a read of any byte of the word
        Assert.Equal("T05rwatch:1002;thread:1;", gdb.Ask("c"));
        Assert.Equal(Load, Register(gdb, 15));
        Assert.Equal("OK", gdb.Ask("z3,1002,1"));
        Assert.Equal("OK", gdb.Ask("Z4,1000,4"));
        Assert.Equal("T05awatch:1000;thread:1;", gdb.Ask("c"));     // the LDR, resumed from, runs; the next STR stops
        Assert.Equal(Store, Register(gdb, 15));
    }

    [Fact]
    public void InterruptStopsARunningGuest()
    {
        using var gdb = Connect(limit: long.MaxValue); // runs until interrupted, however fast the machine
        gdb.Send("c");
        Thread.Sleep(100);
        gdb.SendRaw("\u0003");
        Assert.Equal("T02thread:1;", gdb.ReadReply());
        ulong count = _board.Cpu.InstructionsExecuted;
        Assert.True(count > 0);
        Assert.Equal(count, ulong.Parse(MonitorText(gdb, "icount").Split(' ')[0]));
    }

    [Fact]
    public void BadChecksumIsRefusedAndTheRetransmissionAnswered()
    {
        using var gdb = Connect();
        gdb.SendRaw("$g#00");
        Assert.Equal('-', (char)gdb.ReadByte());
        Assert.Equal(17 * 8, gdb.Ask("g").Length);
        gdb.SendRaw("$g#zz");                                       // not even hex
        Assert.Equal('-', (char)gdb.ReadByte());
        gdb.SendRaw("noise between packets");
        Assert.Equal("T05thread:1;", gdb.Ask("?"));
    }

    [Fact]
    public void UnknownAndOversizedPacketsGetCleanAnswers()
    {
        using var gdb = Connect();
        Assert.Equal("", gdb.Ask("qFooBar"));
        Assert.Equal("", gdb.Ask("vFoo;1"));
        Assert.Equal("", gdb.Ask("!"));
        Assert.Equal("", gdb.Ask("QFoo:1"));
        Assert.Equal("E22", gdb.Ask("M0," + new string('0', 0x5000)));
        Assert.Equal("T05thread:1;", gdb.Ask("?"));
    }

    [Fact]
    public void NoAckModeDropsAcknowledgements()
    {
        using var gdb = Connect();
        Assert.Equal("OK", gdb.Ask("QStartNoAckMode"));
        gdb.SendRaw(ScriptedGdbClient.Frame("?"));
        Assert.Equal('$', (char)gdb.ReadByte());                    // the reply itself, no '+' before it
    }

    [Fact]
    public void ASecondClientIsRefusedAndTheFirstKeepsWorking()
    {
        using var first = Connect();
        Assert.Equal("T05thread:1;", first.Ask("?"));
        using var second = Connect();
        Assert.True(second.WasClosedByStub());
        Assert.Equal("T05thread:1;", first.Ask("?"));
        Assert.Contains("refused a second gdb connection", _log.ToString());
    }

    [Fact]
    public void ATruncatedPacketThenADroppedConnectionLeavesTheGuestRunning()
    {
        using (var gdb = Connect())
        {
            Assert.Equal("OK", gdb.Ask($"Z0,{Store:x},4"));
            gdb.SendRaw("$m0,4"); // no '#': the client goes away mid-packet
        }
        var end = WaitForEnd();
        // The breakpoint went with the client: the guest ran to the instruction limit.
        Assert.Equal(GdbRunEndKind.InstructionLimit, end.Kind);
        Assert.Equal((ulong)Limit, _board.Cpu.InstructionsExecuted);
        Assert.Contains("gdb went away", _log.ToString());
    }

    [Fact]
    public void DetachLetsTheGuestRunOn()
    {
        using var gdb = Connect();
        Assert.Equal("OK", gdb.Ask($"Z0,{Store:x},4"));
        Assert.Equal("OK", gdb.Ask("D"));
        Assert.Equal(GdbRunEndKind.InstructionLimit, WaitForEnd().Kind);
    }

    [Fact]
    public void KillEndsTheRun()
    {
        using var gdb = Connect();
        gdb.Send("k");
        Assert.Equal(GdbRunEndKind.Killed, WaitForEnd().Kind);
        Assert.Equal(0ul, _board.Cpu.InstructionsExecuted);
    }

    [Fact]
    public void MonitorCommandsAnswerThroughConsoleOutput()
    {
        using var gdb = Connect();
        string help = MonitorText(gdb, "help");
        foreach (string command in new[] { "cache ADDR", "cache stats", "coherence", "tlb", "icount" })
            Assert.Contains("monitor " + command, help);
        Assert.Contains("MMU off", MonitorText(gdb, "tlb"));
        Assert.Contains("coherence monitor is off", MonitorText(gdb, "coherence"));
        Assert.Contains("write buffer:", MonitorText(gdb, "cache stats"));
        Assert.Contains("not cached", MonitorText(gdb, "cache 0x1000 4")); // the caches are off at reset
        Assert.Contains("is not an address", MonitorText(gdb, "cache zz"));
        Assert.Contains("unknown monitor command", MonitorText(gdb, "frobnicate"));
    }

    private static string MonitorText(ScriptedGdbClient gdb, string command)
    {
        Assert.Equal("OK", gdb.Ask("qRcmd," + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(command)), out string console));
        return console;
    }

    private static string Swap(string hexWord) => string.Concat(Enumerable.Range(0, 4).Reverse().Select(i => hexWord.Substring(2 * i, 2)));
}
