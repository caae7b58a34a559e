using ArmEmu.Emulator.Linux;

namespace ArmEmu.Emulator.Tests.Linux;

/// <summary>
/// The kernel's POSIX record-lock table (fs/locks.c's rules): an owner's own locks never
/// conflict, setting a range converts, splits and merges the owner's locks, and a wait that
/// closes a cycle of waiters is a deadlock. Ranges are inclusive, long.MaxValue is "to EOF".
/// </summary>
public sealed class RecordLocksTests
{
    private static readonly (ulong, ulong) File = (1, 2);
    private readonly FileTable _a = new(), _b = new();

    [Fact]
    public void An_owners_own_locks_never_conflict_but_anothers_do()
    {
        var locks = new RecordLocks();
        locks.Set(File, _a, 10, 10, 19, write: true);
        Assert.Null(locks.FirstConflict(File, _a, 0, long.MaxValue, write: true));
        Assert.Equal(new RecordLocks.Lock(_a, 10, 10, 19, true), locks.FirstConflict(File, _b, 19, 19, write: false));
        Assert.Null(locks.FirstConflict(File, _b, 20, 30, write: true));
    }

    [Fact]
    public void Read_locks_share_and_write_locks_exclude()
    {
        var locks = new RecordLocks();
        locks.Set(File, _a, 10, 0, 50, write: false);
        Assert.Null(locks.FirstConflict(File, _b, 5, 9, write: false));
        Assert.NotNull(locks.FirstConflict(File, _b, 5, 9, write: true));
    }

    [Fact]
    public void Setting_a_range_converts_splits_and_merges_the_owners_locks()
    {
        var locks = new RecordLocks();
        locks.Set(File, _a, 10, 10, 19, write: true);
        locks.Set(File, _a, 10, 0, 50, write: false);          // converts the write lock: one read lock [0,50]
        locks.Set(File, _a, 10, 51, 59, write: false);         // adjacent, same kind: [0,59]
        Assert.Equal(new RecordLocks.Lock(_a, 10, 0, 59, false), locks.FirstConflict(File, _b, 0, long.MaxValue, write: true));
        locks.Set(File, _a, 10, 20, 29, write: null);          // unlock in the middle: [0,19] and [30,59]
        Assert.Equal(new RecordLocks.Lock(_a, 10, 0, 19, false), locks.FirstConflict(File, _b, 0, long.MaxValue, write: true));
        Assert.Null(locks.FirstConflict(File, _b, 20, 29, write: true));
        Assert.Equal(new RecordLocks.Lock(_a, 10, 30, 59, false), locks.FirstConflict(File, _b, 20, long.MaxValue, write: true));
        locks.Set(File, _a, 10, 40, long.MaxValue, write: true); // to EOF, another kind: [30,39] read, [40,EOF) write
        Assert.Equal(new RecordLocks.Lock(_a, 10, 30, 39, false), locks.FirstConflict(File, _b, 30, 39, write: true));
        Assert.Equal(new RecordLocks.Lock(_a, 10, 40, long.MaxValue, true), locks.FirstConflict(File, _b, 1000, 1000, write: false));
    }

    [Fact]
    public void Releasing_a_file_drops_only_that_owners_locks()
    {
        var locks = new RecordLocks();
        locks.Set(File, _a, 10, 0, 9, write: false);
        locks.Set(File, _b, 11, 0, 9, write: false);
        Assert.True(locks.HoldsAny(_a));
        locks.ReleaseFile(File, _a);
        Assert.False(locks.HoldsAny(_a));
        Assert.Equal(new RecordLocks.Lock(_b, 11, 0, 9, false), locks.FirstConflict(File, _a, 0, 0, write: true));
    }

    [Fact]
    public void A_wait_that_closes_a_cycle_is_a_deadlock()
    {
        var locks = new RecordLocks();
        var c = new FileTable();
        Assert.False(locks.WouldDeadlock(_a, _b));
        locks.Waiting(_b, c);
        locks.Waiting(c, _a);
        Assert.True(locks.WouldDeadlock(_a, _b));   // a -> b -> c -> a
        locks.NotWaiting(c);
        Assert.False(locks.WouldDeadlock(_a, _b));
    }
}
