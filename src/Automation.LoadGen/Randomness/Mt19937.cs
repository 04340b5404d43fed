namespace Automation.LoadGen.Randomness;

/// <summary>
/// A 32-bit random bit generator, shaped like a C++ UniformRandomBitGenerator so the libstdc++ distributions
/// in <see cref="StdDistributions"/> can be written once.
/// </summary>
public interface IRandomBits32
{
    uint Next();
}

/// <summary>
/// std::mt19937, bit for bit. LoadGen seeds it with a 64-bit value; the C++ engine keeps only the low 32 bits
/// (seed is taken modulo 2^32), and so does this one.
/// </summary>
public sealed class Mt19937 : IRandomBits32
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;
    public const uint DefaultSeed = 5489;

    private readonly uint[] _state = new uint[N];
    private int _index;

    public Mt19937(ulong seed = DefaultSeed)
    {
        _state[0] = unchecked((uint)seed);
        for (var i = 1; i < N; i++)
        {
            var prev = _state[i - 1];
            _state[i] = unchecked(1812433253u * (prev ^ (prev >> 30)) + (uint)i);
        }
        _index = N;
    }

    public uint Next()
    {
        if (_index >= N) Twist();
        var y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>Advances the engine by <paramref name="count"/> outputs (std::mersenne_twister_engine::discard).</summary>
    public void Discard(long count)
    {
        for (long i = 0; i < count; i++) Next();
    }

    private void Twist()
    {
        for (var k = 0; k < N; k++)
        {
            var y = (_state[k] & UpperMask) | (_state[(k + 1) % N] & LowerMask);
            _state[k] = _state[(k + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? MatrixA : 0u);
        }
        _index = 0;
    }
}

/// <summary>std::mt19937_64, bit for bit. LoadGen itself only uses the 32-bit engine; this one is here for tools that need it.</summary>
public sealed class Mt19937_64
{
    private const int N = 312;
    private const int M = 156;
    private const ulong MatrixA = 0xB5026F5AA96619E9UL;
    private const ulong UpperMask = 0xFFFFFFFF80000000UL;
    private const ulong LowerMask = 0x7FFFFFFFUL;
    public const ulong DefaultSeed = 5489;

    private readonly ulong[] _state = new ulong[N];
    private int _index;

    public Mt19937_64(ulong seed = DefaultSeed)
    {
        _state[0] = seed;
        for (var i = 1; i < N; i++)
        {
            var prev = _state[i - 1];
            _state[i] = unchecked(6364136223846793005UL * (prev ^ (prev >> 62)) + (ulong)i);
        }
        _index = N;
    }

    public ulong Next()
    {
        if (_index >= N) Twist();
        var y = _state[_index++];
        y ^= (y >> 29) & 0x5555555555555555UL;
        y ^= (y << 17) & 0x71D67FFFEDA60000UL;
        y ^= (y << 37) & 0xFFF7EEE000000000UL;
        y ^= y >> 43;
        return y;
    }

    private void Twist()
    {
        for (var k = 0; k < N; k++)
        {
            var y = (_state[k] & UpperMask) | (_state[(k + 1) % N] & LowerMask);
            _state[k] = _state[(k + M) % N] ^ (y >> 1) ^ ((y & 1UL) != 0 ? MatrixA : 0UL);
        }
        _index = 0;
    }
}
