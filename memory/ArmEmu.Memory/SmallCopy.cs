using System.Runtime.CompilerServices;

namespace ArmEmu.Memory;

/// <summary>
/// Copies of the few sizes the cache model moves on every miss: a 32-byte line fill or write-back,
/// a half line, a write-buffer entry of one to four words. A span's <c>CopyTo</c> is a call into
/// the runtime's general memmove; a copy of a size known here is a few vector moves the JIT
/// emits in place (a miss on chase with the cache model made three such calls).
/// </summary>
internal static class SmallCopy
{
    /// <summary>Copies <paramref name="bytes"/> bytes from <paramref name="source"/> to <paramref name="destination"/> (they do not overlap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ref byte destination, ref byte source, int bytes)
    {
        switch (bytes)
        {
            case 32: Unsafe.CopyBlockUnaligned(ref destination, ref source, 32); break;
            case 16: Unsafe.CopyBlockUnaligned(ref destination, ref source, 16); break;
            case 4: Unsafe.CopyBlockUnaligned(ref destination, ref source, 4); break;
            case 8: Unsafe.CopyBlockUnaligned(ref destination, ref source, 8); break;
            default: Unsafe.CopyBlockUnaligned(ref destination, ref source, (uint)bytes); break;
        }
    }
}
