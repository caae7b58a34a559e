namespace ArmEmu.Emulator.Loaders;

/// <summary>
/// The bytes given to <see cref="ElfFile.Parse(ReadOnlyMemory{byte})"/> are not a
/// well-formed 32-bit little-endian ARM executable. The message is one line that
/// names exactly what is wrong and where, e.g.
/// "program header 3: segment extends past end of file (offset 0x1000 + size 0x2000 > file size 0x1800)".
/// It is the only exception the parser lets escape for bad input.
/// </summary>
internal sealed class ElfFormatException : Exception
{
    public ElfFormatException(string message) : base(message) { }
}
