using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Engines.Translator;

/// <summary>
/// Pages fetched through the modelled I-cache. The interpreter serves such fetches from the
/// page's decoded slots while the I-cache line each came from is resident (a hit, counted) and
/// fetches through the cache otherwise (<see cref="InterpreterEngine"/>); a slot's valid bit
/// follows its line (<see cref="CodeCache.OnInstructionLineRemoved"/>). The translator does the
/// same for cold code, and translates hot code from those slots, so that a translation lives as
/// long as the lines it came from: stale code runs stale, as on hardware, and a store to memory
/// changes nothing a block runs until the line is invalidated and fetched again.
/// </summary>
/// <remarks>
/// A block is entered only when every one of its slots is still valid and holds its word
/// (<see cref="TranslatedBlock.Resident"/>: one compare while no line of the page has gone);
/// then each instruction it runs is an I-cache hit, counted when it returns (a hit does nothing
/// else to the model: the pages come here only with a round-robin or random I-cache and no
/// coherence monitor, <c>MemoryPort.FetchPage</c>). A line can go while a block runs only in a
/// call-out (CP15 maintenance, a system call's cache flush, a debugger's poke): the removal
/// raises the CPU's attention flag, so the block returns after that call-out and the rest of its
/// instructions are fetched as the interpreter would (a miss, a fill).
/// </remarks>
internal sealed unsafe partial class TranslatorEngine
{
    /// <summary>Follows the I-cache lines <paramref name="cpu"/>'s memory port removes (and stops following <paramref name="previous"/>'s).</summary>
    private void FollowInstructionLines(Cpu? previous, Cpu cpu)
    {
        if (previous is not null) previous.Memory.InstructionLineRemoved -= OnInstructionLineRemoved;
        cpu.Memory.InstructionLineRemoved += OnInstructionLineRemoved;
    }

    private void OnInstructionLineRemoved(uint va, int length)
    {
        if (_cpu is not { } cpu) return;
        if (cpu.Code.Find(va >> Memory.PhysicalBus.PageBits)?.EngineData is TranslationPage page) page.LinesRemoved++;
        // A block in flight returns after the call-out that removed it (its next instructions may be gone).
        if (_inBlock) cpu._attention = true;
    }

    /// <summary>Counts <paramref name="fetches"/> I-cache hits: the instructions a block translated through the I-cache ran.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CountInstructionFetches(Cpu cpu, long fetches)
    {
        if (fetches > 0) cpu.Memory.CountInstructionCacheHits((ulong)fetches);
    }

    /// <summary>A block that can never run again: the I-cache holds other words at its addresses now.</summary>
    private bool IsOutdated(TranslatedBlock block) => _fetchHost == null && block.Outdated();

    /// <summary>One instruction on a page fetched through the I-cache, as the interpreter runs it.</summary>
    private void StepThroughInstructionCache(Cpu cpu, uint pc, uint slot)
    {
        ref DecodedInstruction d = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_fetchArm), slot);
        uint op;
        if (_page.ArmValid[slot])
        {
            // Decoded from an I-cache line still resident: an I-cache hit.
            cpu.Memory.CountInstructionCacheHit();
            op = d.Opcode;
        }
        else
        {
            // Through the I-cache (a miss fills the line; MemoryFault -> Prefetch Abort); the slot
            // stands for the line from now on.
            op = cpu.Memory.Fetch32(pc);
            if (d.Opcode != op) d = cpu.Code.Arm.Table.DecodeInstruction(op);
            _page.ArmValid[slot] = true;
        }
        cpu._nextPc = pc + 4;
        cpu.R[15] = pc + 8;
        if (op >= 0xE000_0000 || cpu.ConditionPassed(op >> 28)) d.Handler(cpu, op);
        cpu._pc = cpu._nextPc;
        cpu._budget--;
    }

    /// <summary>
    /// One Thumb instruction on a page fetched through the I-cache, as the interpreter runs it: a
    /// valid slot is a hit; otherwise both halfwords are fetched through the cache (the second
    /// perhaps on the next page: then the slot stays invalid, fetched every time).
    /// </summary>
    private void StepThumbThroughInstructionCache(Cpu cpu, uint pc, uint slot)
    {
        ref ThumbSlot d = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_page.Thumb), slot);
        if (_page.ThumbValid[slot])
        {
            cpu.Memory.CountInstructionCacheHit();
        }
        else
        {
            uint op = cpu.Memory.Fetch16(pc);
            bool crossesPage = false;
            if (_thumb2 && CodeCache.IsThumb32(op))
            {
                op = op << 16 | cpu.Memory.Fetch16(pc + 2);
                crossesPage = (pc & Memory.PhysicalBus.PageMask) == Memory.PhysicalBus.PageMask - 1;
            }
            if (d.Instruction != op) d = cpu.Code.DecodeThumbSlot(op);
            _page.ThumbValid[slot] = !crossesPage;
        }
        ExecuteThumb(cpu, pc, d.Opcode, d.Handler);
    }
}
