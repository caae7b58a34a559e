using ArmEmu.Emulator.Semihosting;

namespace ArmEmu.Emulator.Tests.Semihosting;

/// <summary>
/// Every way out of a semihosting root that a guest could try, each through openat2 and through
/// the component walk (older kernels): the attempt fails and nothing outside the root changes.
/// Each test builds its root and its victims under a fresh temporary directory.
/// </summary>
public sealed class ConfinedDirectoryTests : IDisposable
{
    private const int OWronly = 1, ORdwr = 2, OCreat = 0x40, OTrunc = 0x200;
    private const string VictimText = "outside the root";

    private readonly string _top = Directory.CreateTempSubdirectory("armemu-confine-").FullName;
    private readonly string _root, _outside, _victim;

    public ConfinedDirectoryTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_top, "root")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_top, "outside")).FullName;
        _victim = Path.Combine(_outside, "victim.txt");
        File.WriteAllText(_victim, VictimText);
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllText(Path.Combine(_root, "sub", "inside.txt"), "inside");
        File.CreateSymbolicLink(Path.Combine(_root, "file-link"), "../outside/victim.txt");
        File.CreateSymbolicLink(Path.Combine(_root, "abs-link"), _victim);
        Directory.CreateSymbolicLink(Path.Combine(_root, "dir-link"), "../outside");
        Directory.CreateSymbolicLink(Path.Combine(_root, "abs-dir-link"), _outside);
        File.CreateSymbolicLink(Path.Combine(_root, "dangling"), "../outside/created-through-link.txt");
        File.CreateSymbolicLink(Path.Combine(_root, "inner-link"), "sub/inside.txt");
        Link(_victim, Path.Combine(_root, "hard-link"));
    }

    public void Dispose() => Directory.Delete(_top, recursive: true);

    public static TheoryData<bool> Resolvers => new() { false, true };

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void NamesInsideTheRootOpenForReadingAndWriting(bool walk)
    {
        using var root = Confined(walk);
        using (var created = root.OpenFile("sub/new.txt", ORdwr | OCreat | OTrunc, out int errno))
        {
            Assert.Equal(0, errno);
            using var stream = new FileStream(created!, FileAccess.ReadWrite);
            stream.Write("data"u8);
        }
        Assert.Equal("data", File.ReadAllText(Path.Combine(_root, "sub", "new.txt")));
        using var again = root.OpenFile("./sub//new.txt", 0, out int errno2);
        Assert.NotNull(again);
        Assert.Equal(0, errno2);
    }

    [Theory]
    [InlineData("dir-link/victim.txt", false)]
    [InlineData("abs-dir-link/victim.txt", false)]
    [InlineData("../outside/victim.txt", false)]
    [InlineData("sub/../../outside/victim.txt", false)]
    [InlineData("sub/../..", false)]
    [InlineData("..", false)]
    [InlineData(".", false)]
    [InlineData("", false)]
    [InlineData("/etc/hostname", false)]
    [InlineData("dir-link/victim.txt", true)]
    [InlineData("abs-dir-link/victim.txt", true)]
    [InlineData("../outside/victim.txt", true)]
    [InlineData("sub/../../outside/victim.txt", true)]
    [InlineData("sub/../..", true)]
    [InlineData("..", true)]
    [InlineData(".", true)]
    [InlineData("", true)]
    [InlineData("/etc/hostname", true)]
    public void EveryEscapeIsRefusedAndTouchesNothingOutside(string name, bool walk)
    {
        using var root = Confined(walk);
        AssertOpenRefused(root, name);
        Assert.NotEqual(0, root.Remove(name));
        Assert.NotEqual(0, root.Rename(name, "moved.txt"));
        Assert.NotEqual(0, root.Rename("sub/inside.txt", name));
        AssertOutsideUntouched();
        Assert.True(File.Exists(Path.Combine(_root, "sub", "inside.txt")));
    }

    /// <summary>A link inside the root that names something outside (by symlink or hard link) cannot be opened through.</summary>
    [Theory]
    [InlineData("file-link", false)]
    [InlineData("abs-link", false)]
    [InlineData("dangling", false)]
    [InlineData("hard-link", false)]
    [InlineData("file-link", true)]
    [InlineData("abs-link", true)]
    [InlineData("dangling", true)]
    [InlineData("hard-link", true)]
    public void NoLinkLeadsOutside(string name, bool walk)
    {
        using var root = Confined(walk);
        AssertOpenRefused(root, name);
        AssertOutsideUntouched();
    }

    private static void AssertOpenRefused(ConfinedDirectory root, string name)
    {
        foreach (int flags in new[] { 0, OWronly | OTrunc, ORdwr | OCreat | OTrunc })
        {
            using var handle = root.OpenFile(name, flags, out int errno);
            Assert.Null(handle);
            // EACCES for escapes, EISDIR for the root and "..", ENOENT/ENOTDIR where a walk stops at a link.
            Assert.True(errno is 13 or 21 or 2 or 20, $"open '{name}' flags {flags}: errno {errno}");
        }
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void NothingIsCreatedRenamedOrRemovedOutside(bool walk)
    {
        using var root = Confined(walk);
        Assert.Null(root.OpenFile("dir-link/new.txt", OWronly | OCreat, out _));
        Assert.Null(root.OpenFile("abs-dir-link/new.txt", OWronly | OCreat, out _));
        Assert.NotEqual(0, root.Rename("sub/inside.txt", "dir-link/stolen.txt"));
        Assert.NotEqual(0, root.Rename("sub/inside.txt", "../outside/stolen.txt"));
        Assert.NotEqual(0, root.Remove("dir-link/victim.txt"));
        Assert.NotEqual(0, root.Remove("abs-dir-link/victim.txt"));
        AssertOutsideUntouched();
        Assert.True(File.Exists(Path.Combine(_root, "sub", "inside.txt")));
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void RemovingALinkRemovesTheLinkNotItsTarget(bool walk)
    {
        using var root = Confined(walk);
        Assert.Equal(0, root.Remove("file-link"));
        Assert.Equal(0, root.Remove("hard-link"));
        Assert.False(File.Exists(Path.Combine(_root, "hard-link")));
        AssertOutsideUntouched();
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void RenameAndRemoveWorkInsideTheRoot(bool walk)
    {
        using var root = Confined(walk);
        Assert.Equal(0, root.Rename("sub/inside.txt", "renamed.txt"));
        Assert.Equal("inside", File.ReadAllText(Path.Combine(_root, "renamed.txt")));
        Assert.Equal(0, root.Remove("renamed.txt"));
        Assert.Equal(2, root.Remove("renamed.txt")); // ENOENT
        Assert.Equal(21, root.Remove("sub")); // EISDIR: a directory is not a file
        Assert.True(Directory.Exists(Path.Combine(_root, "sub")));
    }

    [Theory]
    [MemberData(nameof(Resolvers))]
    public void ADirectoryIsNeverOpenedAsAFile(bool walk)
    {
        using var root = Confined(walk);
        Assert.Null(root.OpenFile("sub", 0, out int errno));
        Assert.Equal(21, errno); // EISDIR
    }

    [Fact]
    public void ALinkThatStaysInsideTheRootIsFollowedWithOpenat2()
    {
        using var root = Confined(walk: false);
        using var handle = root.OpenFile("inner-link", 0, out int errno);
        Assert.Equal(0, errno);
        Assert.NotNull(handle);
    }

    [Fact]
    public void ARootThatIsAFileOrMissingIsRefused()
    {
        Assert.Throws<DirectoryNotFoundException>(() => new ConfinedDirectory(_victim));
        Assert.Throws<DirectoryNotFoundException>(() => new ConfinedDirectory(Path.Combine(_top, "missing")));
        Assert.True(File.Exists(_victim));
    }

    private ConfinedDirectory Confined(bool walk) => new(_root) { ForceComponentWalk = walk };

    private void AssertOutsideUntouched()
    {
        Assert.Equal(VictimText, File.ReadAllText(_victim));
        Assert.Equal(new[] { "victim.txt" }, Directory.GetFileSystemEntries(_outside).Select(p => Path.GetFileName(p)!).ToArray());
    }

    private static void Link(string target, string name)
    {
        using var ln = System.Diagnostics.Process.Start("ln", [target, name]);
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }
}
