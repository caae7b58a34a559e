namespace ArmEmu.Emulator.Tests;

/// <summary>The assembling helper test suites use: bytes at an origin, per model, cached, clear errors.</summary>
/// <remarks>
/// These tests point the process-wide <see cref="GnuAssembler.CacheDirectory"/> at a directory of
/// their own, so they run alone: another class assembling at the same time (CacheApiTests and
/// others) would write its files there, and <see cref="ASecondAssemblyComesFromTheCache"/> would
/// see more than its one.
/// </remarks>
[Collection(nameof(GnuAssemblerTests))]
public sealed class GnuAssemblerTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("armemu-asm-cache-").FullName;
    private readonly string _saved = GnuAssembler.CacheDirectory;

    public GnuAssemblerTests() => GnuAssembler.CacheDirectory = _cache;

    public void Dispose()
    {
        GnuAssembler.CacheDirectory = _saved;
        Directory.Delete(_cache, recursive: true);
    }

    [Fact]
    public void AnInstructionAssemblesToItsEncoding()
    {
        using var emu = Emulator.Create("arm926");
        Assert.Equal([0x00, 0x00, 0x91, 0xE5], emu.Assemble("ldr r0, [r1]"));         // LDR (immediate) A1
        Assert.Equal([0x08, 0x68], emu.Assemble("ldr r0, [r1]", thumb: true));          // LDR (immediate) T1
    }

    [Fact]
    public void LabelsAndLiteralsResolveAgainstTheOrigin()
    {
        using var emu = Emulator.Create("arm926");
        byte[] code = emu.Assemble("ldr r0, =0x12345678\nb .\n.ltorg", origin: 0x8000);
        Assert.Equal(12, code.Length);
        Assert.Equal(0x12345678u, BitConverter.ToUInt32(code, 8));
        emu.MapMemory(0x8000, 0x1000);
        emu.WriteMemory(0x8000, code);
        var result = emu.Run(0x8000, until: 0x8004);
        Assert.True(result.Ok);
        Assert.Equal(0x12345678u, emu.Cpu.R[0]);
    }

    [Fact]
    public void TheModelDecidesWhatAssembles()
    {
        using var v5 = Emulator.Create("arm926");
        using var a15 = Emulator.Create("cortex-a15");
        var error = Assert.Throws<AssemblerException>(() => v5.Assemble("nop\nsdiv r0, r1, r2"));
        Assert.StartsWith("line 2:", error.Message); // counted in the caller's source
        Assert.DoesNotContain("snippet.s", error.Message);
        Assert.Equal([0x11, 0xF2, 0x10, 0xE7], a15.Assemble("sdiv r0, r1, r2"));
    }

    [Fact]
    public void ASecondAssemblyComesFromTheCache()
    {
        using var emu = Emulator.Create("arm926");
        byte[] first = emu.Assemble("add r0, r0, #1");
        Assert.Single(Directory.GetFiles(_cache, "*.bin"));
        File.WriteAllBytes(Directory.GetFiles(_cache, "*.bin")[0], [1, 2, 3, 4]); // proves the next answer is the cached one
        Assert.Equal([1, 2, 3, 4], emu.Assemble("add r0, r0, #1"));
        Assert.Equal([0x01, 0x00, 0x80, 0xE2], first);
    }
}

/// <summary>The collection <see cref="GnuAssemblerTests"/> run in: no other test runs beside it.</summary>
[CollectionDefinition(nameof(GnuAssemblerTests), DisableParallelization = true)]
public sealed class GnuAssemblerCollection;
