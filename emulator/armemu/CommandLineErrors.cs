using System.CommandLine;
using System.CommandLine.Parsing;

namespace ArmEmu.Cli;

/// <summary>
/// System.CommandLine's parse errors in armemu's words: what is wrong, the option or
/// argument by the name the user typed, and the <c>--help</c> of the command concerned.
/// Its own messages name .NET types ("as expected type 'System.Int64'"), which mean nothing
/// to someone running an emulator.
/// </summary>
internal static class CommandLineErrors
{
    public static string InOurWords(ParseError error, ParseResult parse)
    {
        string help = parse.CommandResult.Command is RootCommand ? "armemu --help" : $"armemu {parse.CommandResult.Command.Name} --help";
        switch (error.SymbolResult)
        {
            case OptionResult option:
            {
                string name = option.IdentifierToken?.Value ?? option.Option.Name;
                if (option.Tokens.Count == 0) return $"{name} expects a value{ValueName(option.Option)} (see {help})";
                if (option.Tokens.Count > 1 && option.Option.Arity.MaximumNumberOfValues == 1)
                    return $"{name} was given more than once (see {help})";
                return $"{name}: '{option.Tokens[0].Value}' is not {Expected(option.Option.ValueType)} (see {help})";
            }
            case ArgumentResult argument when argument.Tokens.Count == 0:
                return $"missing {argument.Argument.Name} (see {help})";
            case ArgumentResult argument:
                return $"{argument.Argument.Name}: '{argument.Tokens[0].Value}' is not {Expected(argument.Argument.ValueType)} (see {help})";
            case CommandResult command when command.Command.Arguments.FirstOrDefault(a => a.Arity.MinimumNumberOfValues > 0) is { } missing
                                            && !command.Children.OfType<ArgumentResult>().Any(a => a.Argument == missing && a.Tokens.Count > 0):
                return $"missing {missing.Name} (see {help})";
            default:
                // A message of System.CommandLine's we have no better words for: without its type names.
                return $"{System.Text.RegularExpressions.Regex.Replace(error.Message, @" as expected type '[^']*'", "").ReplaceLineEndings(" ").TrimEnd('.')} (see {help})";
        }
    }

    private static string ValueName(Option option) => option.HelpName is { } name ? $" ({name})" : "";

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) type = type.GetElementType()!;
        return type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ulong)
            ? "a whole number"
            : type == typeof(bool) ? "true or false" : "a valid value";
    }
}
