using System.Text;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Linux;

/// <summary>
/// Debian's statically linked busybox (package busybox-static) for armel (ARMv5, ARM state;
/// this class) or armhf (ARMv7, Thumb-2, hard-float: <see cref="ArmhfBusyboxFixture"/>),
/// downloaded at test time with apt-get and unpacked into the build cache, keyed by its
/// architecture and version; the binary is never committed. Also a directory of fixture files
/// with fixed contents and modification times, which every busybox invocation runs in.
/// </summary>
public class BusyboxFixture : IDisposable
{
    /// <summary>The same cache convention as <see cref="GnuToolchain"/>.</summary>
    private static readonly string CacheDir =
        Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache");

    private readonly string _package;

    /// <summary>The Debian architecture: armel or armhf.</summary>
    public string Architecture { get; }

    /// <summary>Host path of the busybox executable.</summary>
    public string Busybox { get; }

    /// <summary>The working directory of the guest, holding the fixture files.</summary>
    public string WorkDir { get; }

    /// <summary>A fixed point in time for the fixture's mtimes.</summary>
    public static readonly DateTime FixedTime = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    public BusyboxFixture() : this("armel")
    {
    }

    protected BusyboxFixture(string architecture)
    {
        Architecture = architecture;
        _package = "busybox-static:" + architecture;
        Busybox = ObtainBusybox();
        WorkDir = Path.Combine(Path.GetTempPath(), $"armemu-busybox-{Guid.NewGuid():N}");
        CreateFixtureFiles(WorkDir);
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }

    private static void CreateFixtureFiles(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "dir", "sub"));
        void Write(string name, string text) => File.WriteAllBytes(Path.Combine(root, name), Encoding.ASCII.GetBytes(text));
        Write("fruits.txt", "banana\napple\ncherry\napple\ndate\nbanana\nelderberry fig grape\n");
        Write("words.txt", "one two three\nfour five\n");
        Write("data.csv", "a,b,c\n1,2,3\nx,y,z\n");
        Write("numbers.txt", "10\n9\n-3.5\n1e2\n0x10\n7\n");
        Write("words.b64", "b25lIHR3byB0aHJlZQpmb3VyIGZpdmUK\n");
        Write("calc.bc", "scale=20\ns(1)\n2^100\nsqrt(2)\n-7/2\n");
        Write("dir/a.txt", "hello\n");
        File.WriteAllBytes(Path.Combine(root, "dir", "b.bin"), [0x00, 0xff, 0x7f, 0x80, (byte)'x', (byte)'y', (byte)'z', 0x0a]);
        // Directories last: creating their entries would move their mtimes again. The root
        // too, because `ls -la dir` shows it as "..".
        foreach (string f in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(f, FixedTime);
        foreach (string d in new[] { "dir/sub", "dir", "" })
            Directory.SetLastWriteTimeUtc(Path.Combine(root, d), FixedTime);
    }

    private string ObtainBusybox()
    {
        string architectures = GnuToolchain.Run("dpkg", "--print-foreign-architectures", "dpkg");
        if (!architectures.Split('\n').Contains(Architecture))
            throw new InvalidOperationException(
                $"Debian's {Architecture} architecture is not enabled, so apt-get cannot download {_package}: "
                + $"run `sudo dpkg --add-architecture {Architecture} && sudo apt-get update` (tools/install-deps.sh does this as root)");

        string version = AptVersion();
        string cached = Path.Combine(CacheDir, $"busybox-static-{Architecture}-" + version.Replace(':', '_'));
        string binary = Path.Combine(cached, "bin", "busybox");
        if (File.Exists(binary)) return binary;

        string work = cached + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        Directory.CreateDirectory(work);
        try
        {
            GnuToolchain.Run("apt-get", $"download {_package}={version}", "apt", workingDirectory: work);
            string deb = Directory.GetFiles(work, "*.deb").SingleOrDefault()
                         ?? throw new InvalidOperationException($"apt-get download {_package} left no .deb in {work}");
            string root = Path.Combine(work, "root");
            GnuToolchain.Run("dpkg-deb", $"-x {deb} {root}", "dpkg");
            if (!File.Exists(Path.Combine(root, "bin", "busybox")))
                throw new InvalidOperationException($"{Path.GetFileName(deb)} has no bin/busybox");
            try
            {
                Directory.Move(root, cached);
            }
            catch (IOException) when (File.Exists(binary))
            {
                // Another test process unpacked the same version first.
            }
            return binary;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The candidate version in the apt lists, which names the cache entry.</summary>
    private string AptVersion()
    {
        string show;
        try
        {
            show = GnuToolchain.Run("apt-cache", $"show --no-all-versions {_package}", "apt");
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(
                $"{_package} is not in the apt lists: run `sudo apt-get update` after `sudo dpkg --add-architecture {Architecture}` ({e.Message.Trim()})");
        }
        string? line = show.Split('\n').FirstOrDefault(l => l.StartsWith("Version: ", StringComparison.Ordinal));
        return line?["Version: ".Length..].Trim()
               ?? throw new InvalidOperationException($"apt-cache show {_package} names no version");
    }
}

/// <summary>Debian's armhf busybox-static: ARMv7-A, Thumb-2 code, the hard-float ABI.</summary>
public sealed class ArmhfBusyboxFixture : BusyboxFixture
{
    public ArmhfBusyboxFixture() : base("armhf")
    {
    }
}
