using ArmEmu.Cpu.Engines;
using ArmEmu.Cpu.Engines.Translator;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Cpu.Tests.Translator;

/// <summary>
/// The translator against the interpreter in lock step: two CPUs on two memories run the same
/// random A32 code, each run cut at a random budget (so blocks are entered, refused for want
/// of budget, and left at every kind of boundary), and the whole state is compared after every
/// run: registers, CPSR, the instruction count and the data memory.
/// </summary>
public class TranslatorLockstepTests
{
    internal const uint Code = 0x1000, Data = 0x8_0000, DataSize = 0x1000;

    /// <summary>Two machines, one per engine, with the same code and data.</summary>
    internal sealed class Pair : IDisposable
    {
        public readonly CpuHarness Interpreted, Translated;
        public readonly TranslatorEngine Engine;

        /// <summary>With <paramref name="caches"/>, each machine has the cache model (its own, built alike), compared too.</summary>
        public Pair(CpuModel model, int threshold = 1, CacheModelOptions? caches = null)
        {
            Interpreted = new CpuHarness(model);
            Translated = new CpuHarness(model);
            Interpreted.Cpu.Engine = new InterpreterEngine();
            Translated.Cpu.Engine = Engine = new TranslatorEngine(threshold);
            if (caches is not null)
            {
                Interpreted.Port.Caches = caches.Build(Interpreted.Bus, () => 0);
                Translated.Port.Caches = caches.Build(Translated.Bus, () => 0);
            }
        }

        public CacheSystem? InterpretedCaches => Interpreted.Port.Caches;

        public CacheSystem? TranslatedCaches => Translated.Port.Caches;

        /// <summary>Assembles <paramref name="source"/> into both memories; returns the address after it.</summary>
        public uint Load(string source, uint address = Code)
        {
            byte[] bytes = ArmEmu.TestSupport.GnuToolchain.Assemble(source, address, Interpreted.March);
            Write(address, bytes);
            return address + (uint)bytes.Length;
        }

        public void Write(uint address, ReadOnlySpan<byte> bytes)
        {
            Interpreted.Bus.WriteRam(address, bytes);
            Translated.Bus.WriteRam(address, bytes);
        }

        public void Each(Action<Cpu> action)
        {
            action(Interpreted.Cpu);
            action(Translated.Cpu);
        }

        /// <summary>
        /// Records each CPU's exceptions as <paramref name="entry"/> makes them (the interpreter's
        /// list first) and lets <paramref name="decide"/> say what each does (by default, stop the run).
        /// </summary>
        public List<T>[] RecordExceptions<T>(Func<Cpu, CpuException, T> entry, Func<Cpu, CpuException, ExceptionDisposition>? decide = null)
        {
            var seen = new[] { new List<T>(), new List<T>() };
            int k = 0;
            Each(cpu =>
            {
                var list = seen[k++];
                cpu.ExceptionHandler = (Cpu c, in CpuException e) =>
                {
                    list.Add(entry(c, e));
                    return decide?.Invoke(c, e) ?? ExceptionDisposition.Stop;
                };
            });
            return seen;
        }

        /// <summary>Runs both for <paramref name="budget"/> and asserts the same outcome and state.</summary>
        public void Step(long budget, uint? stop, string context)
        {
            var a = Interpreted.Cpu.Run(budget, stop);
            var b = Translated.Cpu.Run(budget, stop);
            Assert.True(a == b, $"{context}: stop {a} vs {b}");
            AssertSameState(context);
        }

        public void AssertSameState(string context)
        {
            Cpu x = Interpreted.Cpu, y = Translated.Cpu;
            for (int r = 0; r < 16; r++)
                Assert.True(x.R[r] == y.R[r], $"{context}: r{r} {x.R[r]:x8} vs {y.R[r]:x8} (pc {x.PC:x8})");
            Assert.True(x.PC == y.PC, $"{context}: pc {x.PC:x8} vs {y.PC:x8}");
            Assert.True(x.Cpsr == y.Cpsr, $"{context}: cpsr {x.Cpsr:x8} vs {y.Cpsr:x8} (pc {x.PC:x8})");
            Assert.True(x.InstructionsExecuted == y.InstructionsExecuted,
                        $"{context}: executed {x.InstructionsExecuted} vs {y.InstructionsExecuted} (pc {x.PC:x8})");
            // The performance monitors' PC-write events (0x0C/0x12) count the same in both engines.
            Assert.True(x.SoftwarePcWrites == y.SoftwarePcWrites,
                        $"{context}: PC writes {x.SoftwarePcWrites} vs {y.SoftwarePcWrites} (pc {x.PC:x8})");
            Span<byte> da = stackalloc byte[(int)DataSize], db = stackalloc byte[(int)DataSize];
            Assert.True(Interpreted.Bus.ReadRam(Data, da));
            Assert.True(Translated.Bus.ReadRam(Data, db));
            Assert.True(da.SequenceEqual(db), $"{context}: data memory differs");
            if (InterpretedCaches is { } ca && TranslatedCaches is { } cb)
            {
                AssertSameCounters(ca.InstructionCache, cb.InstructionCache, context);
                AssertSameCounters(ca.DataCache, cb.DataCache, context);
                AssertSameCounters(ca.OuterCache?.Cache, cb.OuterCache?.Cache, context);
                // What a load sees (the caches' copies included), not only RAM behind them.
                Assert.True(ca.Peek(Data, Data, da) && cb.Peek(Data, Data, db));
                Assert.True(da.SequenceEqual(db), $"{context}: data as loads see it differs");
            }
        }

        private static void AssertSameCounters(Cache? a, Cache? b, string context)
        {
            if (a is null || b is null) return;
            var (x, y) = (a.Counters, b.Counters);
            Assert.True((x.Reads, x.ReadHits, x.ReadMisses, x.Writes, x.WriteHits, x.WriteMisses, x.LineFills, x.WriteBacks, x.Evictions, x.Maintenance)
                        == (y.Reads, y.ReadHits, y.ReadMisses, y.Writes, y.WriteHits, y.WriteMisses, y.LineFills, y.WriteBacks, y.Evictions, y.Maintenance),
                        $"{context}: {a.Name} counters differ: reads {x.Reads}/{y.Reads} hits {x.ReadHits}/{y.ReadHits} writes {x.Writes}/{y.Writes} "
                        + $"write hits {x.WriteHits}/{y.WriteHits} fills {x.LineFills}/{y.LineFills} write-backs {x.WriteBacks}/{y.WriteBacks}");
        }

        public void Dispose()
        {
            Interpreted.Dispose();
            Translated.Dispose();
        }
    }

    /// <summary>
    /// A random instruction of the families the translator compiles (and some it hands to the
    /// interpreter), on r0-r9 with r10 the data pointer and r11 a pointer that moves by 4.
    /// </summary>
    internal static uint RandomInstruction(Random rng, bool v7 = false)
    {
        uint cond = rng.Next(3) == 0 ? (uint)rng.Next(14) : 14u;
        uint Reg() => (uint)rng.Next(10);
        uint s = (uint)rng.Next(2);
        // TST/TEQ/CMP/CMN have Rd, MOV/MVN Rn fixed to 0000 (any other value is UNDEFINED, as in QEMU).
        static uint Sbz(uint opcode, uint word) => opcode is >= 8 and <= 11 ? word & ~0xF000u : opcode is 13 or 15 ? word & ~0xF_0000u : word;
        switch (rng.Next(14))
        {
            case 12: // UBFX/SBFX (lsb + width within the word), MLS, REV/REV16/REVSH: ARMv6T2 and v6, compiled; UNDEFINED on the ARM926, so a MUL there
            {
                if (!v7) return (cond << 28) | (s << 20) | (Reg() << 16) | (Reg() << 8) | 0x90 | Reg();
                switch (rng.Next(3))
                {
                    case 0:
                        uint lsb = (uint)rng.Next(32), widthm1 = (uint)rng.Next(32 - (int)lsb);
                        return (cond << 28) | (rng.Next(2) == 0 ? 0x07E00050u : 0x07A00050u) | (widthm1 << 16) | (Reg() << 12) | (lsb << 7) | Reg();
                    case 1:
                        return (cond << 28) | 0x00600090u | (Reg() << 16) | (Reg() << 12) | (Reg() << 8) | Reg();
                    default:
                        return (cond << 28) | (new[] { 0x06BF0F30u, 0x06BF0FB0u, 0x06FF0FB0u })[rng.Next(3)] | (Reg() << 12) | Reg();
                }
            }
            case 11: // LDRH/STRH/LDRSB/LDRSH/LDRD/STRD [r10, #+/-imm8] (odd: unaligned), [r11, #+/-4]!, [r11], #+/-4, [r10, +/-r9]
            {
                uint op2 = (uint)rng.Next(1, 4), load = (uint)rng.Next(2), up = (uint)rng.Next(2);
                uint t = load == 0 && op2 != 1 ? (uint)rng.Next(5) * 2 : Reg(); // LDRD/STRD: an even Rt, Rt2 = Rt + 1 (at most r9)
                uint fields = (cond << 28) | (up << 23) | (load << 20) | (t << 12) | 0x90 | (op2 << 5);
                switch (rng.Next(4))
                {
                    case 0: case 1:
                        uint imm = (uint)rng.Next(256) & (op2 != 1 && load == 0 ? ~3u : ~0u); // LDRD/STRD word-aligned (else an alignment fault on v7)
                        return fields | (1u << 24) | (1u << 22) | (10u << 16) | ((imm >> 4) << 8) | (imm & 15);
                    case 2:
                        uint pre = (uint)rng.Next(2);
                        return fields | (pre << 24) | (1u << 22) | (pre << 21) | (11u << 16) | 4;
                    default: // RandomProgram masks r9 first
                        return fields | (1u << 24) | (10u << 16) | 9;
                }
            }
            case 0: case 1: case 2: // data processing, immediate
            {
                uint opcode = (uint)rng.Next(16);
                if (opcode is >= 8 and <= 11) s = 1;
                return Sbz(opcode, (cond << 28) | (1u << 25) | (opcode << 21) | (s << 20) | (Reg() << 16) | (Reg() << 12)
                       | ((uint)rng.Next(16) << 8) | (uint)rng.Next(256));
            }
            case 3: case 4: case 5: // data processing, register shifted by an immediate
            {
                uint opcode = (uint)rng.Next(16);
                if (opcode is >= 8 and <= 11) s = 1;
                uint rn = rng.Next(20) == 0 ? 15u : Reg(); // now and then the PC as Rn
                return Sbz(opcode, (cond << 28) | (opcode << 21) | (s << 20) | (rn << 16) | (Reg() << 12)
                       | ((uint)rng.Next(32) << 7) | ((uint)rng.Next(4) << 5) | Reg());
            }
            case 6: // data processing, register shifted by a register (compiled; the logical S forms interpreted)
            {
                uint opcode = (uint)rng.Next(16);
                if (opcode is >= 8 and <= 11) s = 1;
                return Sbz(opcode, (cond << 28) | (opcode << 21) | (s << 20) | (Reg() << 16) | (Reg() << 12)
                       | (Reg() << 8) | ((uint)rng.Next(4) << 5) | 0x10 | Reg());
            }
            case 7: // MUL / MLA (MUL has bits 15:12 zero)
            {
                uint accumulate = (uint)rng.Next(2);
                return (cond << 28) | (accumulate << 21) | (s << 20) | (Reg() << 16) | (accumulate == 1 ? Reg() << 12 : 0) | (Reg() << 8) | 0x90 | Reg();
            }
            case 8: // LDR/STR/LDRB/STRB [r10, #imm] (no write-back)
            {
                uint load = (uint)rng.Next(2), isByte = (uint)rng.Next(2), up = (uint)rng.Next(2);
                uint offset = isByte == 1 ? (uint)rng.Next(256) : (uint)rng.Next(64) * 4;
                return (cond << 28) | (0x5u << 24) | (up << 23) | (isByte << 22) | (load << 20) | (10u << 16) | (Reg() << 12) | offset;
            }
            case 9: // LDR/STR [r11], +/-#4 or [r11, #+/-4]! (write-back), or [r10, rX, lsl #2] with rX masked
            {
                uint load = (uint)rng.Next(2), up = (uint)rng.Next(2);
                if (rng.Next(2) == 0)
                {
                    uint pre = (uint)rng.Next(2);
                    return (cond << 28) | (0x4u << 24) | (pre << 24) | (up << 23) | (pre << 21) | (load << 20) | (11u << 16) | (Reg() << 12) | 4;
                }
                // register offset: r9 is kept small by the loop (and #0xff below)
                return (cond << 28) | (0x7u << 24) | (1u << 23) | (load << 20) | (10u << 16) | (Reg() << 12) | (2u << 7) | 9;
            }
            case 10: // CLZ; UMULL/UMLAL/SMULL/SMLAL (RdHi and RdLo now and then the same); PLD (a hint: nothing); interpreted: QADD
                return rng.Next(4) switch
                {
                    3 => 0xF5D0F000u | ((uint)rng.Next(2) << 23) | (10u << 16) | (uint)rng.Next(4096), // PLD [r10, #+/-imm12]
                    0 => (cond << 28) | 0x016F0F10u | (Reg() << 12) | Reg(),
                    1 => (cond << 28) | 0x00800090u | ((uint)rng.Next(4) << 21) | (s << 20) | (Reg() << 16) | (Reg() << 12) | (Reg() << 8) | Reg(),
                    _ => (cond << 28) | 0x01000050u | (Reg() << 16) | (Reg() << 12) | Reg(),
                };
            default:
                switch (rng.Next(3))
                {
                    case 0: // STMIA/LDMIA r10 with a few registers, no write-back
                        return (cond << 28) | (0x8u << 24) | (1u << 23) | ((uint)rng.Next(2) << 20) | (10u << 16) | ((uint)rng.Next(1, 1024) & 0x3FF);
                    case 1: // LDM/STM r11 in any of the four modes (IA, IB, DA, DB), no write-back; a stored PC now and then
                        uint load = (uint)rng.Next(2);
                        uint list = ((uint)rng.Next(1, 1024) & 0x3FF) | (load == 0 && rng.Next(4) == 0 ? 0x8000u : 0);
                        return (cond << 28) | (0x8u << 24) | ((uint)rng.Next(2) << 24) | ((uint)rng.Next(2) << 23) | (load << 20) | (11u << 16) | list;
                    default: // STMDB r11!, {...}: RandomProgram follows it with the LDMIA r11! that pops the same list
                        return (cond << 28) | 0x092B0000u | ((uint)rng.Next(1, 1024) & 0x3FF) | (rng.Next(3) == 0 ? 1u << 11 : 0);
                }
        }
    }

    /// <summary>Where RandomProgram's calls go: the page after the code's.</summary>
    internal const uint SubroutineAddress = 0x2000;

    /// <summary>Where RandomProgram's BLX (immediate) calls into Thumb code go, <see cref="ThumbSubroutine"/>.</summary>
    internal const uint ThumbSubroutineAddress = 0x3000;

    /// <summary>A Thumb subroutine: ADDS r0, r0, r1; BX LR.</summary>
    internal static readonly ushort[] ThumbSubroutine = [0x1840, 0x4770];

    /// <summary>The subroutine RandomProgram calls: two data-processing instructions and BX LR.</summary>
    internal static readonly uint[] Subroutine =
    [
        0xE02001E1u, // eor r0, r0, r1, ror #3
        0xE2911007u, // adds r1, r1, #7
        0xE12FFF1Eu, // bx lr
    ];

    /// <summary>
    /// A loop of random instructions: r9 masked to a small index first, then the body, then a
    /// conditional skip and a loop counter in r12; a BL to a subroutine now and then.
    /// </summary>
    internal static uint[] RandomProgram(Random rng, int bodyLength, bool v7 = false)
    {
        var words = new List<uint>
        {
            0xE3A0C000u | 200,  // mov r12, #200
            0xE59FA000u,        // ldr r10, [pc, #0] -> the literal below
            0xEA000000u,        // b over the literal
            Data,
            0xE28AB000u | 0x800, // add r11, r10, #0x800 (the moving pointer, mid-data)
        };
        int top = words.Count;
        words.Add(0xE20990FFu); // and r9, r9, #0xff
        for (int i = 0; i < bodyLength; i++)
        {
            uint instruction = RandomInstruction(rng, v7);
            // and r9, r9, #0xff: a register offset stays in the data (LDR's; the extra forms' word-aligned, #0xfc, which MUL's bits match too)
            if (((instruction >> 25) & 7) == 3) words.Add(0xE20990FFu);
            else if ((instruction & 0x0E400090u) == 0x90) words.Add(0xE20990FCu);
            if ((instruction & 0x0FFF0000u) == 0x092B0000u)
            {
                // a push and the pop of the same list (write-back both ways; r11 itself in the
                // list now and then: the push stores the old base, the pop loads it back)
                words.Add(instruction);
                words.Add((instruction & 0xF000FFFFu) | 0x08BB0000u);
                continue;
            }
            if (rng.Next(10) == 0)
            {
                // a call through a register (BLX LR: the target is read before LR is written, now
                // and then conditional) to the subroutine on the next page (Subroutine), which
                // returns by BX LR: blocks chain across pages, and the return's target varies
                // with the call site (the jump cache).
                words.Add(0xE3A0EA02u); // mov lr, #0x2000
                words.Add((rng.Next(4) == 0 ? (uint)rng.Next(14) << 28 : 0xE0000000u) | 0x012FFF3Eu); // blx<c> lr
            }
            if (rng.Next(12) == 0)
            {
                // a return through memory (LDR<c> PC, [r11], #4: LoadWritePC) to the instruction after it, pushed just before
                words.Add(0xE28F8004u); // add r8, pc, #4 (the address after the LDR)
                words.Add(0xE52B8004u); // str r8, [r11, #-4]!
                uint c = rng.Next(3) == 0 ? (uint)rng.Next(14) : 14u;
                words.Add((c << 28) | 0x049BF004u); // ldr<c> pc, [r11], #4
                if (c != 14) words.Add(((c ^ 1) << 28) | 0x028BB004u); // add<not c> r11, r11, #4: the pop when the LDR did not run
            }
            if (rng.Next(12) == 0)
            {
                // a call into Thumb code, BLX (immediate) (ThumbSubroutineAddress: ADDS, BX LR back)
                int offset = (int)(ThumbSubroutineAddress - (Code + (uint)words.Count * 4 + 8));
                words.Add(0xFA000000u | ((uint)(offset >> 2) & 0xFFFFFF));
            }
            if (i > 0 && rng.Next(8) == 0)
            {
                // a conditional forward branch over the next instruction: B<c>, or ADD<c> PC, PC, #0 (ALUWritePC)
                words.Add(((uint)rng.Next(14) << 28) | (rng.Next(3) == 0 ? 0x028FF000u : 0x0A000000u));
            }
            words.Add(instruction);
        }
        words.Add(0xE25CC001u); // subs r12, r12, #1
        int back = top - (words.Count + 2);
        words.Add(0x1A000000u | ((uint)back & 0xFFFFFF)); // bne top
        words.Add(0xEAFFFFFEu); // b . (the end: the run stops at this address)
        return [.. words];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void RandomPrograms_MatchTheInterpreter_AtEveryCut(int seed) => RandomPrograms(seed, cacheModel: false);

    /// <summary>
    /// The same with the cache model on (the ARM926's VIVT caches, or the Cortex-A9's PIPT D-cache,
    /// VIPT I-cache and PL310): the caches' counters and what loads see are compared too, and the
    /// code runs from the I-cache (the translator's blocks from its resident lines).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomPrograms_WithTheCacheModel_MatchTheInterpreter_AtEveryCut(int seed) => RandomPrograms(seed, cacheModel: true);

    private static void RandomPrograms(int seed, bool cacheModel)
    {
        var rng = new Random(seed);
        for (int program = 0; program < 10; program++)
        {
            var model = rng.Next(2) == 0 ? CpuModel.Arm926 : CpuModel.CortexA9;
            var caches = !cacheModel ? null : model == CpuModel.Arm926 ? CacheModelOptions.Arm926 : CacheModelOptions.CortexA9;
            using var pair = new Pair(model, threshold: 1 + rng.Next(3), caches);
            uint[] words = RandomProgram(rng, 4 + rng.Next(30), model == CpuModel.CortexA9);
            pair.Write(Code, System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan()));
            pair.Write(SubroutineAddress, System.Runtime.InteropServices.MemoryMarshal.AsBytes(Subroutine.AsSpan()));
            pair.Write(ThumbSubroutineAddress, System.Runtime.InteropServices.MemoryMarshal.AsBytes(ThumbSubroutine.AsSpan()));
            var data = new byte[DataSize];
            rng.NextBytes(data);
            pair.Write(Data, data);
            uint end = Code + (uint)(words.Length - 1) * 4;
            uint seedRegs = (uint)rng.Next();
            pair.Each(cpu =>
            {
                var r = new Random((int)seedRegs);
                for (int i = 0; i < 10; i++) cpu.R[i] = (uint)r.Next() * 3;
                cpu.WriteCpsr(0x1F | ((uint)r.Next(16) << 28), 0xFFFF_FFFF); // System mode, random NZCV
                cpu.PC = Code;
            });
            string context = $"seed {seed} program {program} ({model.Name})";
            for (int run = 0; run < 400 && pair.Interpreted.Cpu.PC != end; run++)
                pair.Step(1 + rng.Next(rng.Next(2) == 0 ? 8 : 200), end, $"{context} run {run}");
            Assert.True(end == pair.Interpreted.Cpu.PC, $"{context}: ended at {pair.Interpreted.Cpu.PC:x8} mode {pair.Interpreted.Cpu.Mode} lr {pair.Interpreted.Cpu.R[14]:x8} r12 {pair.Interpreted.Cpu.R[12]}");
            Assert.True(pair.Engine.Statistics.BlocksTranslated > 0, $"{context}: nothing was translated");
            Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 0, $"{context}: no translated block ran");
            Assert.True(pair.Engine.Statistics.InstructionsInlined > 0, $"{context}: nothing was compiled to IL of its own");
        }
    }
}
