using System.Net.Sockets;
using System.Text;

namespace ArmEmu.Emulator.Gdb;

/// <summary>What <see cref="GdbConnection.Read"/> found on the wire.</summary>
internal enum GdbInputKind : byte
{
    /// <summary>A packet with a good checksum (already acknowledged).</summary>
    Packet,
    /// <summary>The interrupt byte 0x03 (Ctrl-C in gdb).</summary>
    Interrupt,
    /// <summary>A packet longer than <see cref="GdbConnection.MaxPacketBytes"/>: acknowledged and discarded; answer it with an error.</summary>
    Oversized,
    /// <summary>The client closed the connection (or it broke).</summary>
    Closed,
    /// <summary>Nothing arrived within the timeout.</summary>
    Timeout,
}

/// <summary>
/// The framing of the GDB remote serial protocol ("Overview" and "Packet Acknowledgment"
/// in the GDB manual, appendix E): <c>$payload#cs</c> with a modulo-256 checksum in two hex
/// digits, <c>+</c>/<c>-</c> acknowledgements until <c>QStartNoAckMode</c>, <c>}</c> escapes
/// (byte XOR 0x20) for <c>$ # } *</c> in binary data, and the out-of-band 0x03 interrupt.
/// A bad checksum is answered with <c>-</c> (the client retransmits); bytes outside a packet
/// are skipped. Payloads are bytes, not text: X packets carry binary memory.
/// </summary>
internal sealed class GdbConnection : IDisposable
{
    /// <summary>The largest packet we accept (advertised in qSupported as PacketSize).</summary>
    public const int MaxPacketBytes = 0x4000;

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[4096];
    private int _start, _end;
    private bool _closed;

    public GdbConnection(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
    }

    /// <summary>After QStartNoAckMode: no + or - either way.</summary>
    public bool NoAck { get; set; }

    public bool IsClosed => _closed;

    /// <summary>
    /// Reads up to the next packet or interrupt. <paramref name="timeoutMs"/> &lt; 0 waits for
    /// ever; 0 only looks at what has already arrived.
    /// </summary>
    public GdbInputKind Read(out byte[] payload, int timeoutMs = -1)
    {
        payload = [];
        while (true)
        {
            int b = NextByte(timeoutMs);
            if (b == -1) return GdbInputKind.Closed;
            if (b == -2) return GdbInputKind.Timeout;
            if (b == 0x03) return GdbInputKind.Interrupt;
            if (b != '$') continue; // acks, noise between packets
            var body = new List<byte>();
            bool oversized = false;
            while (true)
            {
                // Once a packet has started, the rest of it is waited for (bounded: 10 s of silence drops the client).
                int c = NextByte(10_000);
                if (c < 0)
                {
                    Close();
                    return GdbInputKind.Closed;
                }
                if (c == '#') break;
                if (body.Count < MaxPacketBytes) body.Add((byte)c);
                else oversized = true;
            }
            int hi = NextByte(10_000), lo = NextByte(10_000);
            if (hi < 0 || lo < 0)
            {
                Close();
                return GdbInputKind.Closed;
            }
            if (!oversized && (!TryHex(hi, out int h) || !TryHex(lo, out int l) || ((h << 4) | l) != Checksum(body)))
            {
                if (!NoAck) SendRaw("-"u8);
                continue;
            }
            if (!NoAck) SendRaw("+"u8);
            if (oversized) return GdbInputKind.Oversized;
            payload = Unescape(body);
            return GdbInputKind.Packet;
        }
    }

    /// <summary>Sends one packet (escaping what must be escaped); in ack mode waits for the client's +, resending on -.</summary>
    public void Send(ReadOnlySpan<byte> payload)
    {
        var frame = new List<byte>(payload.Length + 8) { (byte)'$' };
        foreach (byte b in payload)
        {
            if (b is (byte)'$' or (byte)'#' or (byte)'}' or (byte)'*')
            {
                frame.Add((byte)'}');
                frame.Add((byte)(b ^ 0x20));
            }
            else frame.Add(b);
        }
        int sum = Checksum(frame.GetRange(1, frame.Count - 1));
        frame.Add((byte)'#');
        frame.Add((byte)HexDigits[sum >> 4]);
        frame.Add((byte)HexDigits[sum & 15]);
        byte[] bytes = [.. frame];
        for (int attempt = 0; attempt < 5 && !_closed; attempt++)
        {
            SendRaw(bytes);
            if (NoAck) return;
            // Wait for the acknowledgement; an interrupt byte arriving here is kept for later.
            while (true)
            {
                int b = PeekByte(5_000);
                if (b < 0)
                {
                    if (b == -2) Close(); // a client that never acknowledges is gone
                    return;
                }
                if (b == '+') { _start++; return; }
                if (b == '-') { _start++; break; }
                return; // something else (a new packet): treat the send as acknowledged
            }
        }
    }

    public void Send(string payload) => Send(Encoding.Latin1.GetBytes(payload)); // one char, one byte: binary qXfer data

    /// <summary>True if bytes (or the end of the connection) are waiting, without blocking.</summary>
    public bool HasInput => _start < _end || _closed || _socket.Poll(0, SelectMode.SelectRead);

    public void Close()
    {
        if (_closed) return;
        _closed = true;
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    public void Dispose() => Close();

    private void SendRaw(ReadOnlySpan<byte> bytes)
    {
        if (_closed) return;
        try
        {
            _socket.Send(bytes);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Close();
        }
    }

    private int NextByte(int timeoutMs)
    {
        int b = PeekByte(timeoutMs);
        if (b >= 0) _start++;
        return b;
    }

    /// <summary>The next byte without consuming it; -1 closed, -2 timeout.</summary>
    private int PeekByte(int timeoutMs)
    {
        if (_start < _end) return _buffer[_start];
        if (_closed) return -1;
        try
        {
            if (timeoutMs >= 0 && !_socket.Poll(checked(timeoutMs * 1000), SelectMode.SelectRead)) return -2;
            int n = _socket.Receive(_buffer);
            if (n == 0)
            {
                Close();
                return -1;
            }
            _start = 0;
            _end = n;
            return _buffer[0];
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Close();
            return -1;
        }
    }

    private static byte[] Unescape(List<byte> body)
    {
        var result = new List<byte>(body.Count);
        for (int i = 0; i < body.Count; i++)
        {
            if (body[i] == '}' && i + 1 < body.Count) result.Add((byte)(body[++i] ^ 0x20));
            else result.Add(body[i]);
        }
        return [.. result];
    }

    private static int Checksum(List<byte> bytes)
    {
        int sum = 0;
        foreach (byte b in bytes) sum += b;
        return sum & 0xFF;
    }

    private static bool TryHex(int c, out int value)
    {
        value = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;
        return value >= 0;
    }

    internal const string HexDigits = "0123456789abcdef";
}
