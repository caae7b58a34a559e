using System.Text;
using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>The console watch that turns Linux's panic trailer into a reason, once, passing every byte through.</summary>
public class KernelPanicWatchTests
{
    [Fact]
    public void TheEndOfPanicLineGivesItsReasonOnceAndTheOutputIsUnchanged()
    {
        var sink = new MemoryStream();
        var reasons = new List<string>();
        int ends = 0;
        var watch = new KernelPanicWatch(sink, reasons.Add, () => ends++);
        string text = "[    2.86] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r\n"
                    + "[    2.86] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---\r\n"
                    + "[    2.87] ---[ end Kernel panic - not syncing: again ]---\n";
        foreach (byte b in Encoding.ASCII.GetBytes(text)) watch.WriteByte(b);
        Assert.Equal(["VFS: Unable to mount root fs on unknown-block(0,0)"], reasons);
        Assert.Equal(1, ends);
        Assert.Equal(text, Encoding.ASCII.GetString(sink.ToArray()));
    }

    [Fact]
    public void ThePanicLineGivesTheReasonAndOnlyTheTrailerEndsIt()
    {
        var reasons = new List<string>();
        int ends = 0;
        var watch = new KernelPanicWatch(Stream.Null, reasons.Add, () => ends++);
        byte[] text = Encoding.ASCII.GetBytes("ordinary output\nKernel panic - not syncing: Attempted to kill init!\nRebooting in 1 seconds..\n---[ end Kernel panic - not syncing: cut");
        watch.Write(text, 0, text.Length);
        Assert.Equal(["Attempted to kill init!"], reasons);
        Assert.Equal(0, ends);
    }
}
