namespace ArmEmu.TestSupport;

/// <summary>The checkout's root directory (the one holding ArmEmu.sln), found from the test assembly's location.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ArmEmu.sln"))) return dir.FullName;
        throw new InvalidOperationException($"ArmEmu.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>
/// The armemu command-line program, built in the same configuration as the tests
/// (the test projects build it: see their ProjectReference to armemu).
/// </summary>
public static class ArmEmuCli
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        string config = AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        string path = System.IO.Path.Combine(RepositoryRoot.Path, "emulator", "armemu", "bin", config, "net10.0", "armemu");
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} is missing: build emulator/armemu ({config}) first");
        return path;
    }
}
