using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ArmEmu.Cli;

/// <summary>
/// What <c>--help</c> prints after System.CommandLine's usage and options: the exit statuses
/// (every command) and examples (run and system).
/// </summary>
internal sealed class HelpEpilog : SynchronousCommandLineAction
{
    private readonly SynchronousCommandLineAction _usage;

    private HelpEpilog(SynchronousCommandLineAction usage) => _usage = usage;

    /// <summary>Makes the root's help option print the epilog after the usage.</summary>
    public static void AttachTo(RootCommand root)
    {
        foreach (var option in root.Options)
            if (option is HelpOption { Action: SynchronousCommandLineAction usage } help) help.Action = new HelpEpilog(usage);
    }

    /// <summary>As the usage's own action: --help wins over a missing PROGRAM.</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        int status = _usage.Invoke(parseResult);
        string command = parseResult.CommandResult.Command.Name;
        var output = parseResult.InvocationConfiguration.Output;
        if (command == "run") output.WriteLine(RunExamples + "\n");
        if (command == "system") output.WriteLine(SystemExamples + "\n");
        output.WriteLine(ExitStatus + "\n");
        return status;
    }

    private const string RunExamples = """
        Examples:
          armemu ./hello                                   as qemu-arm ./hello (also armemu-arm ./hello)
          armemu -L /usr/arm-linux-gnueabi ./prog a b      a dynamically linked program, its sysroot, its arguments
          armemu run --stats --profile out.callgrind ./prog
                                                           instruction and cache counts; a profile for callgrind_annotate
          armemu run --check-coherence ./jit               name the instruction that runs stale code
          armemu run --cpu cortex-a9 -g 1234 ./prog        a Cortex-A9, waiting for gdb-multiarch on port 1234
        """;

    private const string SystemExamples = """
        Examples:
          armemu system -kernel image.elf                  a bare-metal ELF on the Versatile PB (ARM926), UART0 on the terminal
          armemu system -M vexpress-a9 -kernel image.elf   the same on the Versatile Express with a Cortex-A9
          armemu system -kernel zImage -dtb board.dtb -initrd rootfs.cpio -append "console=ttyAMA0"
                                                           a kernel image, booted as qemu-system-arm boots it
          armemu system -serial null -serial stdio -kernel image.elf
                                                           UART1 on the terminal, UART0's output dropped
          armemu system --check-coherence --screenshot lcd.png -kernel image.elf
                                                           name stale DMA reads; save what the LCD shows at exit
        """;

    private const string ExitStatus = """
        Exit status:
          N         the guest's own: the program's exit status (run), or what it passes to semihosting SYS_EXIT (system)
          (signal)  run: a guest killed by a signal kills armemu with that signal, as qemu-arm; with --exit-status, 128 + the signal
          1         the program or image could not be loaded (not ELF, corrupt, or does not fit)
          2         bad command line: an unknown option, a bad value, an output file that cannot be written
          123       system: the guest can make no more progress (WFI with nothing to wake it, or spinning with interrupts masked)
          124       --max-insns ran out
          125       internal error (a bug in armemu: please report it)
        """;
}
