namespace ArmEmu.Emulator.Linux;

/// <summary>
/// open(2) flags: ARM's values differ from x86-64's for O_DIRECTORY, O_NOFOLLOW,
/// O_DIRECT and O_LARGEFILE (arch/arm/include/uapi/asm/fcntl.h); the rest are the
/// generic ones on both.
/// </summary>
internal static class OpenFlags
{
    private const int ArmDirectory = 0x4000, ArmNoFollow = 0x8000, ArmDirect = 0x1_0000, ArmLargeFile = 0x2_0000;
    private const int HostDirectory = 0x1_0000, HostNoFollow = 0x2_0000, HostDirect = 0x4000, HostLargeFile = 0x8000;
    private const int Swapped = ArmDirectory | ArmNoFollow | ArmDirect | ArmLargeFile;

    public static int ToHost(int arm)
    {
        int host = arm & ~Swapped;
        if ((arm & ArmDirectory) != 0) host |= HostDirectory;
        if ((arm & ArmNoFollow) != 0) host |= HostNoFollow;
        if ((arm & ArmDirect) != 0) host |= HostDirect;
        if ((arm & ArmLargeFile) != 0) host |= HostLargeFile;
        return host;
    }

    public static int ToArm(int host)
    {
        int arm = host & ~(HostDirectory | HostNoFollow | HostDirect | HostLargeFile);
        if ((host & HostDirectory) != 0) arm |= ArmDirectory;
        if ((host & HostNoFollow) != 0) arm |= ArmNoFollow;
        if ((host & HostDirect) != 0) arm |= ArmDirect;
        if ((host & HostLargeFile) != 0) arm |= ArmLargeFile;
        return arm;
    }
}
