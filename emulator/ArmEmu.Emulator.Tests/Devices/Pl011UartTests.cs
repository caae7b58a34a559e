using System.Text;
using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>PL011 UART: registers of DDI0183 Table 3-1, instantaneous transmit, flow-controlled receive, interrupts.</summary>
public class Pl011UartTests
{
    // UARTIMSC/RIS bits.
    private const uint RX = 1u << 4, TX = 1u << 5, RT = 1u << 6, OE = 1u << 10;
    private const uint FEN = 1u << 4, LBE = 1u << 7;

    private readonly RecordingController _vic = new();
    private readonly MemoryStream _output = new();

    private Pl011Uart Make(string input = "") =>
        new(new InterruptLine(_vic, 12), _output, SerialInput.FromBytes(Encoding.ASCII.GetBytes(input)));

    private bool Irq => _vic.Levels[12];

    [Fact]
    public void ResetValues()
    {
        var uart = Make();
        Assert.Equal(0x90u, uart.Read(0x018, 4)); // TXFE, RXFE
        Assert.Equal(0x300u, uart.Read(0x030, 4));
        Assert.Equal(0x12u, uart.Read(0x034, 4));
        foreach (uint offset in new uint[] { 0x004, 0x020, 0x024, 0x028, 0x02C, 0x038, 0x03C, 0x040, 0x048 })
            Assert.Equal(0u, uart.Read(offset, 4));
        Assert.False(Irq);
        Assert.Equal(0x1000u, uart.Size);
    }

    [Fact]
    public void PeripheralAndPrimeCellIds()
    {
        var uart = Make();
        uint[] expected = [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1];
        for (uint i = 0; i < 8; i++) Assert.Equal(expected[i], uart.Read(0xFE0 + 4 * i, 4));
    }

    [Fact]
    public void RegistersKeepTheirImplementedBits()
    {
        var uart = Make();
        uart.Write(0x020, 4, 0xFFFF_FFFF);
        uart.Write(0x024, 4, 0xFFFF_FFFF);
        uart.Write(0x028, 4, 0xFFFF_FFFF);
        uart.Write(0x02C, 4, 0xFFFF_FF6F); // FEN clear
        uart.Write(0x030, 4, 0xFFFF_FF7F); // LBE clear
        uart.Write(0x034, 4, 0xFFFF_FFFF);
        uart.Write(0x038, 4, 0xFFFF_FFFF);
        uart.Write(0x048, 4, 0xFFFF_FFFF);
        Assert.Equal(0xFFu, uart.Read(0x020, 4));
        Assert.Equal(0xFFFFu, uart.Read(0x024, 4)); // IBRD: 16 bits
        Assert.Equal(0x3Fu, uart.Read(0x028, 4));   // FBRD: 6 bits
        Assert.Equal(0x6Fu, uart.Read(0x02C, 4));
        Assert.Equal(0xFF07u, uart.Read(0x030, 4));
        Assert.Equal(0x3Fu, uart.Read(0x034, 4));
        Assert.Equal(0x7FFu, uart.Read(0x038, 4));
        Assert.Equal(0x7u, uart.Read(0x048, 4));
    }

    [Fact]
    public void TransmitGoesStraightToTheOutput()
    {
        var uart = Make();
        foreach (char c in "hi\n") uart.Write(0x000, 4, c);
        uart.Write(0x000, 1, 'x'); // STRB, as bare-metal code does
        Assert.Equal("hi\nx", Encoding.ASCII.GetString(_output.ToArray()));
        Assert.Equal(0x90u, uart.Read(0x018, 4) & 0xF8); // TXFE, never TXFF or BUSY
    }

    [Fact]
    public void TransmitInterruptIsSetByAWriteNotByAnEmptyFifo()
    {
        var uart = Make();
        uart.Write(0x038, 4, TX);
        Assert.False(Irq); // empty since reset, but no transition through the level
        uart.Write(0x000, 4, 'a');
        Assert.True(Irq);
        Assert.Equal(TX, uart.Read(0x03C, 4));
        Assert.Equal(TX, uart.Read(0x040, 4));
        uart.Write(0x044, 4, TX);
        Assert.False(Irq);
        Assert.Equal(0u, uart.Read(0x03C, 4));
    }

    [Fact]
    public void ReceiveWithFifosDisabledHoldsOneCharacter()
    {
        var uart = Make("ab");
        uart.Write(0x038, 4, RX);
        Assert.Equal(0x40u, uart.Read(0x018, 4) & 0x50); // RXFF, not RXFE
        Assert.True(Irq);
        Assert.Equal((uint)'a', uart.Read(0x000, 4));
        Assert.True(Irq); // 'b' moved in
        Assert.Equal((uint)'b', uart.Read(0x000, 4));
        Assert.False(Irq);
        Assert.Equal(0x10u, uart.Read(0x018, 4) & 0x50); // RXFE
    }

    [Fact]
    public void ReceiveInterruptAtTheFifoTriggerLevel()
    {
        var uart = Make("0123456789ABCDEFGHIJ"); // 20 bytes
        uart.Write(0x02C, 4, FEN | 0x60);          // 8 bits, FIFOs on
        uart.Write(0x038, 4, RX);                  // trigger 1/2: 8 entries
        Assert.True(Irq);
        Assert.Equal(0x40u, uart.Read(0x018, 4) & 0x40); // 16 entries: full
        var text = new StringBuilder();
        while ((uart.Read(0x018, 4) & 0x10) == 0) text.Append((char)uart.Read(0x000, 4));
        Assert.Equal("0123456789ABCDEFGHIJ", text.ToString());
        Assert.False(Irq);
    }

    [Fact]
    public void ReceiveTimeoutForDataBelowTheTriggerLevel()
    {
        var uart = Make("ok");
        uart.Write(0x02C, 4, FEN | 0x60);
        uart.Write(0x038, 4, RX | RT);
        Assert.Equal(RT, uart.Read(0x03C, 4)); // 2 entries: below 8, the line is idle
        Assert.True(Irq);
        uart.Read(0x000, 4);
        Assert.True(Irq);
        uart.Read(0x000, 4);
        Assert.False(Irq); // emptied
    }

    [Fact]
    public void ClearedTimeoutStaysClearUntilMoreDataComes()
    {
        var uart = Make("z");
        uart.Write(0x02C, 4, FEN);
        uart.Write(0x038, 4, RT);
        Assert.True(Irq);
        uart.Write(0x044, 4, RT);
        Assert.False(Irq);
        uart.Read(0x018, 4);
        Assert.False(Irq);
    }

    [Fact]
    public void BoardPollMovesInputAndRaisesTheInterrupt()
    {
        var uart = Make("q");
        // No register access yet: nothing moved.
        Assert.False(Irq);
        uart.Write(0x038, 4, RX);
        uart.PollInput();
        Assert.True(Irq);
    }

    [Fact]
    public void LoopbackFeedsTransmitToReceive()
    {
        var uart = Make();
        uart.Write(0x030, 4, 0x301 | LBE);
        uart.Write(0x000, 4, 0x55);
        Assert.Empty(_output.ToArray()); // not sent out
        Assert.Equal(0x55u, uart.Read(0x000, 4));
        uart.Write(0x000, 4, 1);
        uart.Write(0x000, 4, 2); // FIFOs off: one place, overrun
        Assert.Equal(OE, uart.Read(0x03C, 4) & OE);
        Assert.Equal(8u, uart.Read(0x004, 4)); // UARTRSR.OE
        Assert.Equal(1u | 1u << 11, uart.Read(0x000, 4));
        uart.Write(0x004, 4, 0); // UARTECR
        Assert.Equal(0u, uart.Read(0x004, 4));
    }

    [Fact]
    public void LoopbackConnectsModemOutputsToInputs()
    {
        var uart = Make();
        uart.Write(0x030, 4, 0x300 | LBE | 1u << 11 | 1u << 10 | 1u << 12 | 1u << 13);
        Assert.Equal(0x107u, uart.Read(0x018, 4) & 0x107); // CTS, DSR, DCD, RI
        Assert.Equal(0xFu, uart.Read(0x03C, 4) & 0xF);     // each one changed
    }

    [Fact]
    public void MaskedInterruptStatus()
    {
        var uart = Make();
        uart.Write(0x000, 4, 'a');
        Assert.Equal(TX, uart.Read(0x03C, 4));
        Assert.Equal(0u, uart.Read(0x040, 4));
        Assert.False(Irq);
        uart.Write(0x038, 4, TX);
        Assert.True(Irq);
    }

    [Fact]
    public void ResetEmptiesTheFifo()
    {
        var uart = Make("abc");
        uart.Write(0x02C, 4, FEN);
        Assert.Equal(0u, uart.Read(0x018, 4) & 0x10);
        uart.Reset();
        Assert.Equal(0x10u, uart.Read(0x018, 4) & 0x10); // RXFE
        Assert.Equal(0x300u, uart.Read(0x030, 4));
    }

    [Fact]
    public void UnknownOffsetIsTracedWithTheUartsName()
    {
        var log = new StringWriter();
        var uart = new Pl011Uart(InterruptLine.Unconnected(), null, null, new MmioTrace(log), "uart0");
        Assert.Equal(0u, uart.Read(0x080, 4));
        Assert.Contains("uart0", log.ToString());
    }
}

/// <summary>The serial input source: eager for files and fixed bytes, a background reader for streams that cannot seek.</summary>
public class SerialInputTests
{
    [Fact]
    public void FixedBytesAreAllThereAtOnce()
    {
        var input = SerialInput.FromBytes("ab"u8);
        Assert.True(input.TryRead(out byte a));
        Assert.True(input.TryRead(out byte b));
        Assert.Equal((byte)'a', a);
        Assert.Equal((byte)'b', b);
        Assert.False(input.TryRead(out _));
        Assert.True(input.Exhausted);
    }

    /// <summary>A file on stdin is read as the UART takes it, a piece at a time, never whole up front (a huge file costs a piece of memory).</summary>
    [Fact]
    public void SeekableStreamIsReadAsTheUartTakesIt()
    {
        string path = Path.GetTempFileName();
        try
        {
            string content = "file input " + new string('x', 10_000);
            File.WriteAllText(path, content);
            using var stream = File.OpenRead(path);
            var input = SerialInput.FromStream(stream);
            Assert.Equal(0, stream.Position); // nothing read before the UART asks
            Assert.True(input.TryRead(out byte first));
            Assert.Equal((byte)'f', first);
            Assert.True(stream.Position < stream.Length, $"read {stream.Position} of {stream.Length} bytes for one"); // one piece, not the file
            var text = new StringBuilder("f");
            while (input.TryRead(out byte c)) text.Append((char)c);
            Assert.Equal(content, text.ToString());
            Assert.True(input.Exhausted);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PipeIsReadInTheBackground()
    {
        using var server = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var client = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, server.ClientSafePipeHandle);
        var input = SerialInput.FromStream(client);
        using var arrived = new ManualResetEventSlim();
        input.Arrived += arrived.Set;
        Assert.False(input.TryRead(out _)); // nothing yet, and no blocking
        server.Write("k"u8);
        server.Flush();
        Assert.True(arrived.Wait(TimeSpan.FromSeconds(10)));
        Assert.True(input.TryRead(out byte k));
        Assert.Equal((byte)'k', k);
        server.Dispose();
        Assert.True(SpinWait.SpinUntil(() => input.Exhausted, TimeSpan.FromSeconds(10)));
    }
}
