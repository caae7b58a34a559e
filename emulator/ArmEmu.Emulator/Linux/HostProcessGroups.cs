using System.Globalization;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// The host's side of an orphaned-process-group check (kernel/exit.c, will_become_orphaned_pgrp):
/// a group is not orphaned while one of its members has a parent in another group of the same
/// session -- the shell that can continue it. Read from /proc/PID/stat (ppid, pgrp, session),
/// once per stop signal received, never on a hot path.
/// </summary>
internal static class HostProcessGroups
{
    /// <summary>The parent pid, process group and session of host process <paramref name="pid"/>, or null once it is gone (or a zombie, which Linux does not count).</summary>
    public static (int Parent, int Group, int Session)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so split after the last ')'.
        int close = text.LastIndexOf(')');
        if (close < 0) return null;
        string[] fields = text[(close + 2)..].Split(' ');
        if (fields.Length < 4 || fields[0] is "Z" or "X") return null;
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture),
            int.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Whether host process <paramref name="parentPid"/>, as the parent of a member of
    /// <paramref name="group"/> in <paramref name="session"/>, keeps that group from being
    /// orphaned: it is in another group of the same session, and is not init (whose children
    /// Linux does not count).
    /// </summary>
    public static bool ParentHoldsGroup(int parentPid, int group, int session) =>
        parentPid > 1 && Stat(parentPid) is { } parent && parent.Group != group && parent.Session == session;

    /// <summary>Whether a live host process of <paramref name="group"/> other than <paramref name="exceptPid"/> has a parent that holds the group.</summary>
    public static bool OtherMemberHeld(int group, int session, int exceptPid)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories("/proc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        foreach (string entry in entries)
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == exceptPid) continue;
            if (Stat(pid) is { } member && member.Group == group && ParentHoldsGroup(member.Parent, group, session)) return true;
        }
        return false;
    }
}
