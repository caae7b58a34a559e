using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ArmEmu.Emulator.Tests.Gdb;

/// <summary>
/// A hand-driven remote-protocol client for the stub's tests: sends exact bytes (well-formed
/// packets, broken ones, interrupts) and reads exact replies. Every read has a time limit, so
/// a stub that never answers fails the test instead of hanging it.
/// </summary>
internal sealed class ScriptedGdbClient : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _pending = [];

    public ScriptedGdbClient(int port)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(IPAddress.Loopback, port);
        _socket.ReceiveTimeout = 10_000;
    }

    public static string Frame(string payload)
    {
        int sum = 0;
        foreach (byte b in Encoding.Latin1.GetBytes(payload)) sum += b;
        return $"${payload}#{sum & 0xFF:x2}";
    }

    public void SendRaw(string bytes) => _socket.Send(Encoding.Latin1.GetBytes(bytes));

    public void SendRaw(byte[] bytes) => _socket.Send(bytes);

    /// <summary>Sends a packet and expects the stub's '+'.</summary>
    public void Send(string payload)
    {
        SendRaw(Frame(payload));
        Assert.Equal('+', (char)ReadByte());
    }

    /// <summary>Sends a packet and returns the reply (console O packets are collected into <paramref name="console"/>).</summary>
    public string Ask(string payload) => Ask(payload, out _);

    public string Ask(string payload, out string console)
    {
        Send(payload);
        return ReadReply(out console);
    }

    /// <summary>The next packet from the stub (acknowledged), skipping O packets into <paramref name="console"/>.</summary>
    public string ReadReply(out string console)
    {
        var text = new StringBuilder();
        while (true)
        {
            string packet = ReadPacket();
            if (packet.StartsWith('O') && packet.Length > 1 && packet != "OK")
            {
                text.Append(Encoding.UTF8.GetString(Convert.FromHexString(packet[1..])));
                continue;
            }
            console = text.ToString();
            return packet;
        }
    }

    public string ReadReply() => ReadReply(out _);

    private string ReadPacket()
    {
        int b;
        while ((b = ReadByte()) != '$')
            if (b < 0) throw new IOException("the stub closed the connection");
        var body = new List<byte>();
        while ((b = ReadByte()) != '#')
        {
            if (b < 0) throw new IOException("the stub closed the connection mid-packet");
            body.Add((byte)b);
        }
        string checksum = $"{(char)ReadByte()}{(char)ReadByte()}";
        int sum = 0;
        foreach (byte x in body) sum += x;
        Assert.Equal($"{sum & 0xFF:x2}", checksum);
        SendRaw("+");
        var unescaped = new List<byte>();
        for (int i = 0; i < body.Count; i++)
            unescaped.Add(body[i] == '}' ? (byte)(body[++i] ^ 0x20) : body[i]);
        return Encoding.Latin1.GetString([.. unescaped]);
    }

    /// <summary>The next byte, -1 when the stub closed the connection.</summary>
    public int ReadByte()
    {
        if (_pending.Count > 0)
        {
            byte first = _pending[0];
            _pending.RemoveAt(0);
            return first;
        }
        var one = new byte[256];
        int n = _socket.Receive(one);
        if (n == 0) return -1;
        _pending.AddRange(one.AsSpan(1, n - 1).ToArray());
        return one[0];
    }

    /// <summary>True if the stub closed the connection within the time limit.</summary>
    public bool WasClosedByStub()
    {
        try
        {
            while (true)
            {
                int b = ReadByte();
                if (b < 0) return true;
            }
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode != SocketError.TimedOut; // a reset is a close; a timeout means still open
        }
    }

    public void Dispose() => _socket.Dispose();
}
