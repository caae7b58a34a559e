using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// A PrimeCell-style device whose registers are 32-bit words in a 4 KiB window.
/// A byte or halfword read returns the addressed part of the word; a narrow write
/// is shifted into its byte lanes and written as a whole word (the APB interface
/// of these peripherals has no byte strobes).
/// </summary>
internal abstract class WordRegisterDevice : IMmioDevice
{
    /// <summary>The window the device decodes: 4 KiB unless the device says otherwise.</summary>
    public virtual uint Size => 0x1000;

    public uint Read(uint offset, int size)
    {
        uint word = ReadRegister(offset & ~3u);
        return size == 4 ? word : (word >> (int)(8 * (offset & 3))) & (size == 1 ? 0xFFu : 0xFFFFu);
    }

    public void Write(uint offset, int size, uint value)
    {
        if (size != 4) value <<= (int)(8 * (offset & 3));
        WriteRegister(offset & ~3u, value);
    }

    /// <summary>Reads the word register at a word-aligned offset.</summary>
    protected abstract uint ReadRegister(uint offset);

    /// <summary>Writes the word register at a word-aligned offset.</summary>
    protected abstract void WriteRegister(uint offset, uint value);
}
