using System.Diagnostics;
using System.Text;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.BareMetal;

/// <summary>
/// <c>armemu system</c> with a terminal on its standard input, as a user at a keyboard has it:
/// a pseudo-terminal made by util-linux's <c>script</c>. The console is raw (the guest sees
/// Ctrl-C as a byte, nothing is echoed by the host), and Ctrl-A x ends the run with status 0,
/// as in qemu-system-arm -nographic. The guest (guest-tests/system/terminal/echo.c) echoes what
/// it receives, Ctrl-C as '^'.
/// </summary>
public sealed class ConsoleTerminalTests
{
    [Fact]
    public async Task Keys_reach_the_guest_raw_and_CtrlA_x_quits()
    {
        string dir = Directory.CreateTempSubdirectory("armemu-terminal-").FullName;
        try
        {
            string system = Path.Combine(RepositoryRoot.Path, "guest-tests", "system");
            string elf = Path.Combine(dir, "echo.elf");
            var build = ArmEmuCli.RunTool("arm-none-eabi-gcc",
                ["-mcpu=arm926ej-s", "-marm", "-O2", "-ffreestanding", "-nostdlib", "-I" + Path.Combine(system, "common"),
                 "-T", Path.Combine(system, "common", "link.ld"), "-o", elf, Path.Combine(system, "common", "start.S"),
                 Path.Combine(system, "common", "runtime.c"), Path.Combine(system, "terminal", "echo.c"), "-lgcc"],
                dir, null, null, TimeSpan.FromMinutes(1));
            Assert.True(build.ExitCode == 0, "arm-none-eabi-gcc (package gcc-arm-none-eabi): " + build);

            var psi = new ProcessStartInfo("script")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in new[] { "-qefc", $"'{ArmEmuCli.Path}' system '{elf}'", "/dev/null" }) psi.ArgumentList.Add(a);
            using var script = Process.Start(psi) ?? throw new InvalidOperationException("cannot start script (package bsdutils)");
            var output = new StringBuilder();
            var reader = Task.Run(() =>
            {
                var buffer = new char[256];
                int n;
                while ((n = script.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
                    lock (output) output.Append(buffer, 0, n);
            });
            bool Saw(string text) { lock (output) return output.ToString().Contains(text, StringComparison.Ordinal); }

            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!Saw("ready> ") && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.True(Saw("ready> "), "the guest never started: " + output);
            script.StandardInput.Write("hello\u0003world");
            script.StandardInput.Flush();
            while (!Saw("hello^world") && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.True(Saw("hello^world"), "the guest never echoed the keys: " + output);

            script.StandardInput.Write("\u0001x");
            script.StandardInput.Flush();
            Assert.True(script.WaitForExit(TimeSpan.FromMinutes(1)), "Ctrl-A x did not end the run");
            await reader.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, script.ExitCode);
            Assert.True(Saw("armemu: terminated (Ctrl-A x)"), output.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
