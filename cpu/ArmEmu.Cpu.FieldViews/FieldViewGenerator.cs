using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ArmEmu.Cpu.FieldViews;

/// <summary>
/// Generates a typed field view for every row of the encoding tables, from the row's pattern as
/// it is written in the table: <c>new("cccc0101U1W1nnnnddddiiiiiiiiiiii", "LDRB (immediate) A1", ...)</c>
/// in a class <c>XxxEncodings</c> becomes <c>XxxFields.LdrbImmediateA1</c>, a struct over the
/// instruction word with one property per field letter (<c>n</c>, <c>d</c>, <c>i</c>, <c>U</c>,
/// <c>W</c>, ...): a bool for a one-bit field, an int otherwise, the runs of a letter drawn in
/// several places concatenated most significant first as the manual writes them (T32's
/// i:imm3:imm8, A32's imm4H:imm4L). T32 rows written as <c>R("hw1", "hw2", "name", ...)</c> are
/// read the same way (the word is hw1:hw2). So a handler names its row and reads fields by the
/// letters of the pattern, never by hand-written shifts and masks, and a pattern edit changes the
/// view with it. Rows whose names clash after the identifier is made are left without a view.
/// </summary>
[Generator]
public sealed class FieldViewGenerator : IIncrementalGenerator
{
    private sealed class Row
    {
        public Row(string table, string pattern, string name)
        {
            Table = table;
            Pattern = pattern;
            Name = name;
        }

        public string Table { get; }

        public string Pattern { get; }

        public string Name { get; }
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var rows = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is BaseObjectCreationExpressionSyntax or InvocationExpressionSyntax,
                static (ctx, _) => RowOf(ctx.Node))
            .Where(static r => r is not null)
            .Collect();
        context.RegisterSourceOutput(rows, static (spc, all) => Emit(spc, all!));
    }

    private static Row? RowOf(SyntaxNode node)
    {
        var table = node.Ancestors().OfType<ClassDeclarationSyntax>().FirstOrDefault()?.Identifier.Text;
        if (table is null || !table.EndsWith("Encodings", System.StringComparison.Ordinal)) return null;
        var ns = node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();
        if (ns != "ArmEmu.Cpu.Decoding") return null;
        SeparatedSyntaxList<ArgumentSyntax> args;
        string? pattern, name;
        if (node is BaseObjectCreationExpressionSyntax creation && creation.ArgumentList is { } list && list.Arguments.Count >= 3)
        {
            args = list.Arguments;
            pattern = Literal(args[0]);
            name = Literal(args[1]);
        }
        else if (node is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "R" } } call
                 && call.ArgumentList.Arguments.Count >= 4)
        {
            args = call.ArgumentList.Arguments;
            string? hw1 = Literal(args[0]), hw2 = Literal(args[1]);
            pattern = hw1 is not null && hw2 is not null && hw1.Length == 16 && hw2.Length == 16 ? hw1 + hw2 : null;
            name = Literal(args[2]);
        }
        else
        {
            return null;
        }
        if (pattern is null || name is null || pattern.Length is not (16 or 32)) return null;
        foreach (char ch in pattern)
            if (!(ch is '0' or '1' or '-' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) return null;
        return new Row(table.Substring(0, table.Length - "Encodings".Length), pattern, name);
    }

    private static string? Literal(ArgumentSyntax arg) =>
        arg.Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression) ? literal.Token.ValueText : null;

    /// <summary>"LDRB (immediate) A1" -> LdrbImmediateA1; "SMLA&lt;x&gt;&lt;y&gt; T1" -> SmlaXYT1.</summary>
    internal static string Identifier(string name)
    {
        var sb = new StringBuilder();
        bool wordStart = true, previousUpper = false;
        foreach (char ch in name.Replace("<x>", "X").Replace("<y>", "Y").Replace("<c>", ""))
        {
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(wordStart ? char.ToUpperInvariant(ch) : previousUpper && char.IsUpper(ch) ? char.ToLowerInvariant(ch) : ch);
                wordStart = false;
                previousUpper = char.IsUpper(ch);
            }
            else
            {
                wordStart = true;
                previousUpper = false;
            }
        }
        // Mnemonics are capitals: keep their first letter only ("LDRB" -> "Ldrb"), ids stay ("A1").
        string s = sb.ToString();
        return s.Length > 0 && char.IsDigit(s[0]) ? "_" + s : s;
    }

    private static void Emit(SourceProductionContext spc, ImmutableArray<Row> rows)
    {
        foreach (var table in rows.GroupBy(r => r.Table).OrderBy(g => g.Key, System.StringComparer.Ordinal))
        {
            var sb = new StringBuilder();
            sb.AppendLine("// <auto-generated/> by ArmEmu.Cpu.FieldViews.FieldViewGenerator from the patterns of " + table.Key + "Encodings.");
            sb.AppendLine("#nullable enable");
            sb.AppendLine("namespace ArmEmu.Cpu.Decoding;");
            sb.AppendLine();
            sb.AppendLine("/// <summary>The field views of the " + table.Key + "Encodings rows: one struct per row, one property per field letter of its pattern.</summary>");
            sb.AppendLine("internal static partial class " + table.Key + "Fields");
            sb.AppendLine("{");
            var byId = table.GroupBy(r => Identifier(r.Name)).ToList();
            foreach (var group in byId.OrderBy(g => g.Key, System.StringComparer.Ordinal))
            {
                if (group.Count() > 1)
                {
                    sb.AppendLine("    // " + group.Key + ": " + group.Count() + " rows make this identifier; none has a view.");
                    continue;
                }
                EmitView(sb, group.Key, group.First());
            }
            sb.AppendLine("}");
            spc.AddSource(table.Key + "Fields.g.cs", sb.ToString());
        }
    }

    private static void EmitView(StringBuilder sb, string id, Row row)
    {
        int bits = row.Pattern.Length;
        sb.AppendLine("    /// <summary>" + Escape(row.Name) + ": <c>" + row.Pattern + "</c>.</summary>");
        // Partial, so a handler's file may give a view the interface its generic core reads
        // (Bitfield.cs: the A1 and T1 views of BFI both as IBitfieldInsertFields).
        sb.AppendLine("    public readonly partial struct " + id);
        sb.AppendLine("    {");
        sb.AppendLine("        private readonly uint _op;");
        sb.AppendLine();
        sb.AppendLine("        /// <summary>The view of an instruction word of this encoding.</summary>");
        sb.AppendLine("        public " + id + "(uint op) => _op = op;");
        sb.AppendLine();
        sb.AppendLine("        /// <summary>The view of an instruction word of this encoding (for generic cores: <c>TFields.Of(op)</c>).</summary>");
        sb.AppendLine("        public static " + id + " Of(uint op) => new(op);");
        sb.AppendLine();
        sb.AppendLine("        /// <summary>The pattern the view was generated from.</summary>");
        sb.AppendLine("        public const string Pattern = \"" + row.Pattern + "\";");
        sb.AppendLine();
        sb.AppendLine("        /// <summary>The encoding's name in the table.</summary>");
        sb.AppendLine("        public const string Name = \"" + row.Name.Replace("\"", "\\\"") + "\";");
        // Letters in order of first appearance, each with its runs (most significant first).
        var letters = new List<char>();
        foreach (char ch in row.Pattern)
            if (ch != '0' && ch != '1' && ch != '-' && !letters.Contains(ch)) letters.Add(ch);
        foreach (char letter in letters)
        {
            var runs = new List<(int Hi, int Lo)>();
            for (int i = 0; i < bits; i++)
            {
                if (row.Pattern[i] != letter) continue;
                int start = i;
                while (i + 1 < bits && row.Pattern[i + 1] == letter) i++;
                runs.Add((bits - 1 - start, bits - 1 - i));
            }
            int width = runs.Sum(r => r.Hi - r.Lo + 1);
            sb.AppendLine();
            string where = string.Join(":", runs.Select(r => r.Hi == r.Lo ? r.Hi.ToString() : r.Hi + "-" + r.Lo));
            sb.AppendLine("        /// <summary>Field '" + letter + "': bits " + where + ".</summary>");
            if (width == 1)
            {
                sb.AppendLine("        public bool " + letter + " => (_op & 0x" + (1u << runs[0].Lo).ToString("X") + "u) != 0;");
                continue;
            }
            var parts = new List<string>();
            int below = width;
            foreach (var (hi, lo) in runs)
            {
                int len = hi - lo + 1;
                below -= len;
                string mask = "0x" + ((len == 32 ? 0xFFFF_FFFFu : (1u << len) - 1)).ToString("X") + "u";
                string part = lo == 0 ? "(_op & " + mask + ")" : "((_op >> " + lo + ") & " + mask + ")";
                if (below > 0) part = "(" + part + " << " + below + ")";
                parts.Add(part);
            }
            sb.AppendLine("        public int " + letter + " => (int)(" + string.Join(" | ", parts) + ");");
        }
        sb.AppendLine("    }");
        sb.AppendLine();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
