using System.Security.Cryptography;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Where a process's randomness comes from: AT_RANDOM, getrandom and reads of /dev/urandom
/// and /dev/random. Seeded (the default, as qemu-arm's <c>-seed</c>), every run of a program
/// draws the same bytes; unseeded, they come from the host's generator.
/// </summary>
/// <remarks>
/// The seeded generator is xoshiro256** (Blackman and Vigna) with its state filled by
/// SplitMix64 from the seed: written out here rather than System.Random so that the bytes
/// for a seed never change with the .NET version. It is not cryptographic; reproducibility
/// is the point. The stream is not QEMU's (QEMU 7.2 uses GLib's Mersenne Twister), so the
/// bytes differ from qemu-arm's for the same seed; only the determinism is alike.
/// </remarks>
internal sealed class GuestRandom
{
    private readonly bool _seeded;
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator seeded with <paramref name="seed"/>, or the host's when null.</summary>
    public GuestRandom(ulong? seed)
    {
        if (seed is not { } x) return;
        _seeded = true;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The seed used when none is given: runs are reproducible unless asked otherwise.</summary>
    public const ulong DefaultSeed = 0;

    /// <summary>Whether the bytes come from the seed (true) or the host's generator.</summary>
    public bool IsSeeded => _seeded;

    /// <summary>Fills <paramref name="destination"/> with the next bytes of the stream.</summary>
    public void Fill(Span<byte> destination)
    {
        if (!_seeded)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }
        while (destination.Length > 0)
        {
            ulong word = Next();
            int n = Math.Min(8, destination.Length);
            for (int i = 0; i < n; i++) destination[i] = (byte)(word >> (8 * i));
            destination = destination[n..];
        }
    }

    private ulong Next()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E37_79B9_7F4A_7C15;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 31);
    }
}
