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
