namespace ArmEmu.Cli;

/// <summary>Checks on a file given as a guest image before anything is loaded from it.</summary>
internal static class ImageChecks
{
    /// <summary>
    /// "a script" or "a text file" when <paramref name="data"/> is evidently not code: it starts with
    /// "#!", or its first 4 KiB are UTF-8 text of printable characters, tabs and line ends (ARM code
    /// has zero and small bytes in almost every word -- condition fields, register numbers,
    /// immediates -- and bytes that are not UTF-8). Null otherwise (empty files too: they fail as
    /// what they are).
    /// </summary>
    public static string? TextFileKind(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return null;
        if (data.Length >= 2 && data[0] == '#' && data[1] == '!') return "a script";
        var head = data[..Math.Min(data.Length, 4096)];
        foreach (byte b in head)
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0c) || b == 0x7f) return null;
        // A multi-byte character cut at the 4 KiB boundary is still text.
        for (int cut = 0; cut < 4 && cut < head.Length; cut++)
            if (System.Text.Unicode.Utf8.IsValid(head[..(head.Length - cut)])) return "a text file";
        return null;
    }
}
