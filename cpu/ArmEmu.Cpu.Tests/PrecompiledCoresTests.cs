using System.Reflection;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The generic instruction cores are precompiled (ReadyToRun) only if every static virtual member
/// they call through their type parameters is implemented by the struct itself: crossgen2
/// (.NET 10) leaves a method that calls a default interface body of a static virtual member to
/// the JIT, which then compiles it at every start of armemu (ARCHITECTURE.md, "field views").
/// </summary>
public class PrecompiledCoresTests
{
    [Fact]
    public void NoInterfaceOfTheCpuHasAStaticVirtualMemberWithADefaultBody()
    {
        var interfaces = typeof(Cpu).Assembly.GetTypes().Where(t => t.IsInterface).ToList();
        var withBodies = interfaces
            .SelectMany(i => i.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                              .Where(m => m.IsVirtual && !m.IsAbstract)
                              .Select(m => $"{i.Name}.{m.Name}"))
            .ToList();
        Assert.Empty(withBodies);
        // The check sees the interfaces it is about (a change of assembly would make it vacuous).
        Assert.Contains(interfaces, i => i.Name == "IShifterOperand");
        Assert.Contains(interfaces, i => i.Name == "IAddressOffset");
    }
}
