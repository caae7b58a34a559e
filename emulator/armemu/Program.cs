using System.CommandLine;
using ArmEmu.Cli;

// armemu: the command-line front end. It parses arguments and hands over to
// ArmEmu.Emulator; every error is one line on stderr with a defined exit status.
int status = ArmEmuCommand.Run(args);
ArmEmu.Cli.StartupTimes.Report();
return status;
