namespace ArmEmu.Memory.Tests;

/// <summary>
/// <see cref="SmallCopy"/> against a byte loop, for every length up to a long line (its sizes
/// with a case of their own and the others), at odd offsets: exactly the bytes asked for move,
/// none around them.
/// </summary>
public class SmallCopyTests
{
    [Fact]
    public void EveryLength_CopiesThoseBytesAndNoOthers()
    {
        var rng = new Random(926);
        for (int length = 0; length <= 72; length++)
        {
            var source = new byte[length + 8];
            rng.NextBytes(source);
            var destination = new byte[length + 8];
            rng.NextBytes(destination);
            var expected = (byte[])destination.Clone();
            for (int i = 0; i < length; i++) expected[3 + i] = source[5 + i];
            SmallCopy.Copy(ref destination[3], ref source[5], length);
            Assert.True(expected.AsSpan().SequenceEqual(destination), $"length {length}");
        }
    }
}
