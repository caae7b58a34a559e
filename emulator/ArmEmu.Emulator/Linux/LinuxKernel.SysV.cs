using System.Buffers.Binary;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// System V IPC (ipc/shm.c, ipc/sem.c, ipc/msg.c) kept by the emulated kernel for its guest
/// processes, with Linux's checks and errno values. qemu-arm passes these calls to the host,
/// whose objects its guests then share with every host process; here they belong to the
/// guest processes of this run (a key names the same object in each of them) and vanish with
/// it. Permissions are not checked (every guest process is the same user).
/// <list type="bullet">
/// <item>Shared memory: a segment is frames of guest RAM; each attachment maps them shared
/// (a fork shares them, as Linux's VM_SHARED), shown in /proc/PID/maps as "/SYSV%08x (deleted)"
/// on device 00:01 with the id as inode, as shmem names it. SHMLBA is 16 KiB on ARM
/// (4 * PAGE_SIZE, for VIPT caches): a misaligned address is rounded with SHM_RND, else EINVAL.</item>
/// <item>Semaphores: semop applies every operation of a call or none; one that cannot proceed
/// waits (or fails with EAGAIN under IPC_NOWAIT; semtimedop also after its timeout), and a
/// removed set wakes its waiters with EIDRM. SEM_UNDO is accepted but not undone at exit.</item>
/// <item>Message queues: msgsnd waits while the queue holds MSGMNB (16384) bytes; msgrcv takes
/// the first message, the first of a type, the first of another type (MSG_EXCEPT) or the
/// lowest type up to |msgtyp|, E2BIG unless MSG_NOERROR, ENOMSG under IPC_NOWAIT.</item>
/// </list>
/// The IPC_STAT structures are the 32-bit asm-generic ones ARM uses (ipc64_perm, shmid64_ds,
/// semid64_ds, msqid64_ds); glibc passes IPC_64 in the command, which is accepted with or without.
/// </summary>
internal sealed partial class LinuxKernel
{
    private const int IpcPrivate = 0, IpcCreat = 0x200, IpcExcl = 0x400, IpcNoWait = 0x800;
    private const int IpcRmid = 0, IpcSet = 1, IpcStat = 2, IpcInfo = 3, Ipc64 = 0x100;
    private const int EIdrm = 43, ENoMsg = 42, E2Big = 7;
    private const uint ShmLba = 4 * ProcessAddressSpace.PageSize;
    private const uint ShmMax = 0x8000_0000; // the guest's RAM runs out long before this
    private const int SemMsl = 32000, SemOpm = 500, SemVmx = 32767, MsgMax = 8192, MsgMnb = 16384;

    private abstract class IpcObject(int key, int mode)
    {
        public int Key { get; } = key;
        public int Mode { get; set; } = mode & 0x1FF;
        public bool Removed { get; set; }
        public long ChangeTime { get; set; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        public int Uid { get; set; } = HostLibc.GetEUid();
        public int Gid { get; set; } = HostLibc.GetEGid();
    }

    private sealed class SharedSegment(int key, int mode, uint size, uint[] frames, int creator) : IpcObject(key, mode)
    {
        public uint Size { get; } = size;
        public uint[] Frames { get; } = frames;
        public int Creator { get; } = creator;
        public int LastPid { get; set; }
        public int Attachments { get; set; }
        public long AttachTime { get; set; }
        public long DetachTime { get; set; }
    }

    private sealed class SemaphoreSet(int key, int mode, int count) : IpcObject(key, mode)
    {
        public ushort[] Values { get; } = new ushort[count];
        public int[] LastPids { get; } = new int[count];
        public long OperationTime { get; set; }
    }

    private sealed class MessageQueue(int key, int mode) : IpcObject(key, mode)
    {
        public List<(int Type, byte[] Text)> Messages { get; } = [];
        public int Bytes => Messages.Sum(m => m.Text.Length);
        public long SendTime { get; set; }
        public long ReceiveTime { get; set; }
        public int LastSender { get; set; }
        public int LastReceiver { get; set; }
    }

    private readonly Dictionary<int, IpcObject> _ipcObjects = new();
    private readonly Dictionary<(GuestProcess Process, uint Address), SharedSegment> _shmAttachments = new();
    private int _nextIpcId = 1;

    /// <summary>ipcget: the object of <paramref name="key"/> (or a new one), as shmget/semget/msgget look it up.</summary>
    private long IpcGet<T>(int key, int flags, Func<T, long> checkExisting, Func<IpcObject?> create) where T : IpcObject
    {
        if (key != IpcPrivate)
        {
            foreach (var (id, o) in _ipcObjects)
            {
                if (o.Key != key || o.Removed || o is not T existing) continue;
                if ((flags & (IpcCreat | IpcExcl)) == (IpcCreat | IpcExcl)) return -Errno.EEXIST;
                long check = checkExisting(existing);
                return check < 0 ? check : id;
            }
            if ((flags & IpcCreat) == 0) return -Errno.ENOENT;
        }
        IpcObject? made;
        try
        {
            made = create();
        }
        catch (OutOfGuestMemoryException)
        {
            return -Errno.ENOMEM;
        }
        if (made is null) return -Errno.EINVAL;
        // Ids grow as Linux's (index + sequence * 32768), so a removed id is not reused at once.
        int newId = _nextIpcId;
        _nextIpcId += 32768 + 1;
        if (_nextIpcId < 0) _nextIpcId = 1;
        _ipcObjects[newId] = made;
        return newId;
    }

    private T? IpcFind<T>(int id) where T : IpcObject => _ipcObjects.TryGetValue(id, out var o) && o is T t && !t.Removed ? t : null;

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>struct ipc64_perm (36 bytes) at <paramref name="b"/>.</summary>
    private static void WritePerm(Span<byte> b, IpcObject o, int id)
    {
        BinaryPrimitives.WriteInt32LittleEndian(b, o.Key);
        BinaryPrimitives.WriteInt32LittleEndian(b[4..], o.Uid);
        BinaryPrimitives.WriteInt32LittleEndian(b[8..], o.Gid);
        BinaryPrimitives.WriteInt32LittleEndian(b[12..], o.Uid);
        BinaryPrimitives.WriteInt32LittleEndian(b[16..], o.Gid);
        BinaryPrimitives.WriteUInt16LittleEndian(b[20..], (ushort)o.Mode);
        BinaryPrimitives.WriteUInt16LittleEndian(b[24..], (ushort)(id / 32768));
    }

    /// <summary>IPC_SET: uid, gid and the low nine mode bits from the guest's ipc64_perm.</summary>
    private long IpcSetPerm(IpcObject o, uint address)
    {
        Span<byte> b = stackalloc byte[36];
        if (!ReadUser(address, b)) return -Errno.EFAULT;
        o.Uid = BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
        o.Gid = BinaryPrimitives.ReadInt32LittleEndian(b[8..]);
        o.Mode = BinaryPrimitives.ReadUInt16LittleEndian(b[20..]) & 0x1FF;
        o.ChangeTime = Now;
        return 0;
    }

    // ---- shared memory -------------------------------------------------------------------

    private long SysShmGet(int key, uint size, int flags) =>
        IpcGet<SharedSegment>(key, flags,
            existing => size > existing.Size ? -Errno.EINVAL : 0,
            () =>
            {
                if (size < 1 || size > ShmMax) return null;
                var frames = new uint[PageAlignUp(size) / ProcessAddressSpace.PageSize];
                int made = 0;
                try
                {
                    for (; made < frames.Length; made++) frames[made] = Machine.Frames.Allocate();
                }
                catch (OutOfGuestMemoryException)
                {
                    for (int i = 0; i < made; i++) Machine.Frames.Free(frames[i]);
                    throw;
                }
                return new SharedSegment(key, flags, size, frames, CurrentProcess.Pid);
            });

    private long SysShmAt(int id, uint address, int flags)
    {
        const int ShmRdonly = 0x1000, ShmRnd = 0x2000, ShmRemap = 0x4000, ShmExec = 0x8000;
        var segment = IpcFind<SharedSegment>(id);
        if (segment is null) return -Errno.EINVAL;
        uint size = (uint)segment.Frames.Length * ProcessAddressSpace.PageSize;
        if (address != 0)
        {
            if ((address & (ShmLba - 1)) != 0)
            {
                if ((flags & ShmRnd) == 0) return -Errno.EINVAL;
                address &= ~(ShmLba - 1);
                if (address == 0) return -Errno.EINVAL;
            }
            if ((ulong)address + size > TaskSize) return -Errno.EINVAL;
            if (!Space.IsFree(address, size) && (flags & ShmRemap) == 0) return -Errno.EINVAL;
        }
        else
        {
            uint? free = Space.FindFree(size, ExecImage.MmapStart, TaskSize);
            if (free is null) return -Errno.ENOMEM;
            address = free.Value;
        }
        var rights = Permission.Read | ((flags & ShmRdonly) == 0 ? Permission.Write : 0) | ((flags & ShmExec) != 0 ? Permission.Execute : 0);
        if (!Space.IsFree(address, size)) Machine.FlushUserRange(address, address + size);
        Space.Names.Remove(address, (ulong)address + size);
        for (int i = 0; i < segment.Frames.Length; i++)
            Space.MapFrame(address + (uint)i * ProcessAddressSpace.PageSize, segment.Frames[i], rights, ArmEmu.Memory.Caches.PageAttributes.Normal, sharedFile: true);
        Space.Names.Set(address, address + size, $"/SYSV{segment.Key:x8} (deleted)", 0, device: 1, inode: (ulong)id);
        _shmAttachments[(CurrentProcess, address)] = segment;
        segment.Attachments++;
        segment.LastPid = CurrentProcess.Pid;
        segment.AttachTime = Now;
        return address;
    }

    private long SysShmDt(uint address)
    {
        if ((address & (ProcessAddressSpace.PageSize - 1)) != 0) return -Errno.EINVAL;
        if (!_shmAttachments.Remove((CurrentProcess, address), out var segment)) return -Errno.EINVAL;
        uint size = (uint)segment.Frames.Length * ProcessAddressSpace.PageSize;
        Machine.FlushUserRange(address, address + size);
        Space.Unmap(address, size);
        Detached(segment);
        return 0;
    }

    private void Detached(SharedSegment segment)
    {
        segment.Attachments--;
        segment.LastPid = CurrentProcess.Pid;
        segment.DetachTime = Now;
        if (segment.Removed && segment.Attachments == 0) FreeSegment(segment);
    }

    private void FreeSegment(SharedSegment segment)
    {
        foreach (uint frame in segment.Frames) Machine.Frames.Free(frame);
        foreach (var (id, o) in _ipcObjects.Where(p => ReferenceEquals(p.Value, segment)).ToList()) _ipcObjects.Remove(id);
    }

    private long SysShmCtl(int id, int command, uint buffer)
    {
        command &= ~Ipc64;
        if (command == IpcInfo || command == 14 /* SHM_INFO */)
        {
            Span<byte> info = stackalloc byte[56];
            info.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(info, ShmMax);                  // shmmax
            BinaryPrimitives.WriteUInt32LittleEndian(info[4..], 1);                  // shmmin
            BinaryPrimitives.WriteUInt32LittleEndian(info[8..], 4096);               // shmmni
            BinaryPrimitives.WriteUInt32LittleEndian(info[12..], 4096);              // shmseg
            BinaryPrimitives.WriteUInt32LittleEndian(info[16..], Machine.RamSize / ProcessAddressSpace.PageSize); // shmall
            if (buffer != 0 && !WriteUser(buffer, info[..(command == IpcInfo ? 36 : 24)])) return -Errno.EFAULT;
            return HighestIpcIndex;
        }
        var segment = IpcFind<SharedSegment>(id);
        if (segment is null) return -Errno.EINVAL;
        switch (command)
        {
            case IpcRmid:
                segment.Removed = true;
                segment.Mode |= 0x200; // SHM_DEST
                if (segment.Attachments == 0) FreeSegment(segment);
                return 0;
            case IpcSet:
                return IpcSetPerm(segment, buffer);
            case IpcStat or 13 /* SHM_STAT */:
                Span<byte> b = stackalloc byte[84];
                b.Clear();
                WritePerm(b, segment, id);
                BinaryPrimitives.WriteUInt32LittleEndian(b[36..], segment.Size);
                BinaryPrimitives.WriteUInt32LittleEndian(b[40..], (uint)segment.AttachTime);
                BinaryPrimitives.WriteUInt32LittleEndian(b[48..], (uint)segment.DetachTime);
                BinaryPrimitives.WriteUInt32LittleEndian(b[56..], (uint)segment.ChangeTime);
                BinaryPrimitives.WriteInt32LittleEndian(b[64..], segment.Creator);
                BinaryPrimitives.WriteInt32LittleEndian(b[68..], segment.LastPid);
                BinaryPrimitives.WriteUInt32LittleEndian(b[72..], (uint)segment.Attachments);
                return WriteUser(buffer, b) ? (command == IpcStat ? 0 : id) : -Errno.EFAULT;
            case 11 or 12: // SHM_LOCK, SHM_UNLOCK
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /// <summary>A process's attachments go when its address space does (exit, execve).</summary>
    private void DetachAll(GuestProcess process)
    {
        // Most programs never attach a segment: no LINQ at their exit (the JIT compiled its
        // generic code over the key tuples at every run).
        if (_shmAttachments.Count == 0) return;
        foreach (var key in _shmAttachments.Keys.Where(k => ReferenceEquals(k.Process, process)).ToList())
        {
            _shmAttachments.Remove(key, out var segment);
            Detached(segment!);
        }
    }

    /// <summary>fork: the child inherits the parent's attachments (the pages are shared already).</summary>
    private void InheritAttachments(GuestProcess parent, GuestProcess child)
    {
        foreach (var ((process, address), segment) in _shmAttachments.Where(p => ReferenceEquals(p.Key.Process, parent)).ToList())
        {
            _shmAttachments[(child, address)] = segment;
            segment.Attachments++;
        }
    }

    // ---- semaphores ----------------------------------------------------------------------

    private long SysSemGet(int key, int count, int flags) =>
        IpcGet<SemaphoreSet>(key, flags,
            existing => count > existing.Values.Length ? -Errno.EINVAL : 0,
            () => count is < 0 or > SemMsl || (count == 0) ? null : new SemaphoreSet(key, flags, count));

    private long SysSemOp(int id, uint operations, uint count, uint timeoutAddress, bool wide, bool timed)
    {
        if (count < 1 || count > SemOpm) return count == 0 ? -Errno.EINVAL : -E2Big;
        var set = IpcFind<SemaphoreSet>(id);
        if (set is null) return _ipcObjects.ContainsKey(id) ? -EIdrm : -Errno.EINVAL;
        var ops = new (ushort Number, short Op, short Flags)[count];
        Span<byte> b = stackalloc byte[6];
        for (int i = 0; i < count; i++)
        {
            if (!ReadUser(operations + (uint)(6 * i), b)) return -Errno.EFAULT;
            ops[i] = (BinaryPrimitives.ReadUInt16LittleEndian(b), BinaryPrimitives.ReadInt16LittleEndian(b[2..]), BinaryPrimitives.ReadInt16LittleEndian(b[4..]));
            if (ops[i].Number >= set.Values.Length) return -27; // EFBIG
        }
        long timeoutNs = -1;
        if (timed && timeoutAddress != 0)
        {
            timeoutNs = ReadTimespecNanoseconds(timeoutAddress, wide);
            if (timeoutNs < 0) return timeoutNs;
        }
        long r = SemOpAttempt(set, ops, out bool blocks);
        if (!blocks) return r;
        // Without a timeout the call is made again when the set changed so that it could proceed
        // or was removed (then EIDRM). With one, the wait ends on the guest's clock (EAGAIN, as
        // semtimedop) and the operations are done when the thread runs again.
        if (timeoutNs < 0) return BlockCurrent(new ThreadBlock(() => set.Removed || CanProceed(set, ops)), restart: true);
        if (timeoutNs == 0) return -Errno.EAGAIN;
        return BlockCurrent(new ThreadBlock(() => set.Removed || CanProceed(set, ops), deadline: DeadlineAfter(timeoutNs))
        {
            Completion = reason =>
            {
                if (reason == WakeReason.Interrupted) return; // r0 is EINTR already
                long result = reason == WakeReason.TimedOut ? -Errno.EAGAIN
                    : set.Removed ? -EIdrm
                    : SemOpAttempt(set, ops, out bool again) is var done && again ? -Errno.EAGAIN : done;
                Cpu.R[0] = unchecked((uint)result);
            },
        }, restart: false);
    }

    /// <summary>
    /// The operations all or nothing (perform_atomic_semop): 0 when done, an errno, or
    /// <paramref name="blocks"/> when one of them must wait.
    /// </summary>
    private long SemOpAttempt(SemaphoreSet set, (ushort Number, short Op, short Flags)[] ops, out bool blocks)
    {
        const int SemUndo = 0x1000;
        blocks = false;
        var values = (ushort[])set.Values.Clone();
        foreach (var (number, op, opFlags) in ops)
        {
            int v = values[number] + op;
            if (op < 0 && v < 0 || op == 0 && values[number] != 0)
            {
                if ((opFlags & IpcNoWait) != 0) return -Errno.EAGAIN;
                blocks = true;
                return 0;
            }
            if (v > SemVmx) return -Errno.ERANGE;
            values[number] = (ushort)v;
            _ = opFlags & SemUndo;
        }
        values.CopyTo(set.Values, 0);
        foreach (var op in ops) set.LastPids[op.Number] = CurrentProcess.Pid;
        set.OperationTime = Now;
        return 0;
    }

    private static bool CanProceed(SemaphoreSet set, (ushort Number, short Op, short Flags)[] ops)
    {
        var values = (ushort[])set.Values.Clone();
        foreach (var (number, op, _) in ops)
        {
            int v = values[number] + op;
            if (op < 0 && v < 0 || op == 0 && values[number] != 0) return false;
            values[number] = (ushort)Math.Min(v, SemVmx);
        }
        return true;
    }

    /// <summary>What IPC_INFO, SEM_INFO and MSG_INFO return: the highest index in use (0 with none).</summary>
    private int HighestIpcIndex => _ipcObjects.Keys.DefaultIfEmpty(0).Max() & 32767;

    /// <summary>IPC_INFO/SEM_INFO/MSG_INFO of semaphores and queues: struct seminfo/msginfo, all ints; NULL writes nothing.</summary>
    private long WriteIpcInfo(uint address, ReadOnlySpan<int> fields)
    {
        Span<byte> info = stackalloc byte[4 * fields.Length];
        for (int i = 0; i < fields.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(info[(4 * i)..], fields[i]);
        return address != 0 && !WriteUser(address, info) ? -Errno.EFAULT : HighestIpcIndex;
    }

    /// <summary>IPC_RMID of a semaphore set or a queue: gone at once (its waiters see it removed).</summary>
    private long IpcRemove(IpcObject ipc, int id)
    {
        ipc.Removed = true;
        _ipcObjects.Remove(id);
        return 0;
    }

    private long SysSemCtl(int id, int number, int command, uint argument)
    {
        const int GetPid = 11, GetVal = 12, GetAll = 13, GetNcnt = 14, GetZcnt = 15, SetVal = 16, SetAll = 17, SemStat = 18;
        command &= ~Ipc64;
        if (command is IpcInfo or 19 /* SEM_INFO */)
        {
            return WriteIpcInfo(argument, [32000, 1024000000, 32000, SemMsl, SemOpm, 20, 500, 32767, SemVmx, 32767]);
        }
        var set = IpcFind<SemaphoreSet>(id);
        if (set is null) return -Errno.EINVAL;
        bool oneSemaphore = command is GetPid or GetVal or GetNcnt or GetZcnt or SetVal;
        if (oneSemaphore && (number < 0 || number >= set.Values.Length)) return -Errno.EINVAL;
        switch (command)
        {
            case IpcRmid:
                return IpcRemove(set, id);
            case IpcSet:
                return IpcSetPerm(set, argument);
            case IpcStat or SemStat:
                Span<byte> b = stackalloc byte[64];
                b.Clear();
                WritePerm(b, set, id);
                BinaryPrimitives.WriteUInt32LittleEndian(b[36..], (uint)set.OperationTime);
                BinaryPrimitives.WriteUInt32LittleEndian(b[44..], (uint)set.ChangeTime);
                BinaryPrimitives.WriteUInt32LittleEndian(b[52..], (uint)set.Values.Length);
                return WriteUser(argument, b) ? (command == IpcStat ? 0 : id) : -Errno.EFAULT;
            case GetVal:
                return set.Values[number];
            case GetPid:
                return set.LastPids[number];
            case GetNcnt or GetZcnt:
                return 0;
            case SetVal:
                if ((int)argument is < 0 or > SemVmx) return -Errno.ERANGE;
                set.Values[number] = (ushort)argument;
                set.LastPids[number] = CurrentProcess.Pid;
                set.ChangeTime = Now;
                return 0;
            case GetAll:
                for (int i = 0; i < set.Values.Length; i++)
                    if (!WriteUser16(argument + (uint)(2 * i), set.Values[i])) return -Errno.EFAULT;
                return 0;
            case SetAll:
                var values = new ushort[set.Values.Length];
                Span<byte> two = stackalloc byte[2];
                for (int i = 0; i < values.Length; i++)
                {
                    if (!ReadUser(argument + (uint)(2 * i), two)) return -Errno.EFAULT;
                    values[i] = BinaryPrimitives.ReadUInt16LittleEndian(two);
                    if (values[i] > SemVmx) return -Errno.ERANGE;
                }
                values.CopyTo(set.Values, 0);
                set.ChangeTime = Now;
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    private bool WriteUser16(uint address, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        return WriteUser(address, b);
    }

    // ---- message queues ------------------------------------------------------------------

    private long SysMsgGet(int key, int flags) => IpcGet<MessageQueue>(key, flags, _ => 0, () => new MessageQueue(key, flags));

    private long SysMsgSnd(int id, uint message, uint size, int flags)
    {
        if (size > MsgMax) return -Errno.EINVAL;
        var queue = IpcFind<MessageQueue>(id);
        if (queue is null) return _ipcObjects.ContainsKey(id) ? -EIdrm : -Errno.EINVAL;
        if (!ReadUser32(message, out uint type)) return -Errno.EFAULT;
        if ((int)type < 1) return -Errno.EINVAL;
        var text = new byte[size];
        if (!ReadUser(message + 4, text)) return -Errno.EFAULT;
        if (queue.Bytes + size > MsgMnb)
        {
            if ((flags & IpcNoWait) != 0) return -Errno.EAGAIN;
            return BlockCurrent(new ThreadBlock(() => queue.Removed || queue.Bytes + size <= MsgMnb), restart: true);
        }
        queue.Messages.Add(((int)type, text));
        queue.SendTime = Now;
        queue.LastSender = CurrentProcess.Pid;
        return 0;
    }

    private long SysMsgRcv(int id, uint message, uint size, int type, int flags)
    {
        const int MsgNoError = 0x1000, MsgExcept = 0x2000, MsgCopy = 0x4000;
        if ((int)size < 0) return -Errno.EINVAL;
        if ((flags & MsgCopy) != 0) return -Errno.ENOSYS;
        var queue = IpcFind<MessageQueue>(id);
        if (queue is null) return _ipcObjects.ContainsKey(id) ? -EIdrm : -Errno.EINVAL;
        int index = -1;
        if (type == 0) index = queue.Messages.Count > 0 ? 0 : -1;
        else if (type > 0) index = queue.Messages.FindIndex(m => (flags & MsgExcept) != 0 ? m.Type != type : m.Type == type);
        else
        {
            int lowest = int.MaxValue;
            for (int i = 0; i < queue.Messages.Count; i++)
                if (queue.Messages[i].Type <= -(long)type && queue.Messages[i].Type < lowest) (lowest, index) = (queue.Messages[i].Type, i);
        }
        if (index < 0)
        {
            if ((flags & IpcNoWait) != 0) return -ENoMsg;
            int wanted = type;
            return BlockCurrent(new ThreadBlock(() => queue.Removed || queue.Messages.Any(m => wanted == 0
                || (wanted > 0 ? ((flags & MsgExcept) != 0 ? m.Type != wanted : m.Type == wanted) : m.Type <= -(long)wanted))), restart: true);
        }
        var (messageType, text) = queue.Messages[index];
        if (text.Length > size && (flags & MsgNoError) == 0) return -E2Big;
        int length = (int)Math.Min(size, (uint)text.Length);
        if (!WriteUser32(message, (uint)messageType) || !WriteUser(message + 4, text.AsSpan(0, length))) return -Errno.EFAULT;
        queue.Messages.RemoveAt(index);
        queue.ReceiveTime = Now;
        queue.LastReceiver = CurrentProcess.Pid;
        return length;
    }

    private long SysMsgCtl(int id, int command, uint buffer)
    {
        const int MsgStat = 11;
        command &= ~Ipc64;
        if (command is IpcInfo or 12 /* MSG_INFO */)
        {
            return WriteIpcInfo(buffer, [0, 0, MsgMax, MsgMnb, 32000, 0, 16, 0]);
        }
        var queue = IpcFind<MessageQueue>(id);
        if (queue is null) return -Errno.EINVAL;
        switch (command)
        {
            case IpcRmid:
                return IpcRemove(queue, id);
            case IpcSet:
                return IpcSetPerm(queue, buffer);
            case IpcStat or MsgStat:
                Span<byte> b = stackalloc byte[88];
                b.Clear();
                WritePerm(b, queue, id);
                BinaryPrimitives.WriteUInt32LittleEndian(b[36..], (uint)queue.SendTime);
                BinaryPrimitives.WriteUInt32LittleEndian(b[44..], (uint)queue.ReceiveTime);
                BinaryPrimitives.WriteUInt32LittleEndian(b[52..], (uint)queue.ChangeTime);
                BinaryPrimitives.WriteUInt32LittleEndian(b[60..], (uint)queue.Bytes);
                BinaryPrimitives.WriteUInt32LittleEndian(b[64..], (uint)queue.Messages.Count);
                BinaryPrimitives.WriteUInt32LittleEndian(b[68..], MsgMnb);
                BinaryPrimitives.WriteInt32LittleEndian(b[72..], queue.LastSender);
                BinaryPrimitives.WriteInt32LittleEndian(b[76..], queue.LastReceiver);
                return WriteUser(buffer, b) ? (command == IpcStat ? 0 : id) : -Errno.EFAULT;
            default:
                return -Errno.EINVAL;
        }
    }
}
