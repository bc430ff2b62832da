using System;
using System.Globalization;
using System.Net;

namespace Port53.Analysis
{
    internal enum IpFamily
    {
        IPv4 = 0,
        IPv6 = 1,
    }

    /// <summary>
    /// An address as an unsigned 128-bit number (IPv4 uses the low 32 bits). Two ulongs rather than
    /// System.UInt128, which netstandard2.0 / .NET Framework do not have.
    /// </summary>
    internal readonly struct Address128 : IEquatable<Address128>, IComparable<Address128>
    {
        public readonly ulong Hi;
        public readonly ulong Lo;

        public Address128(ulong hi, ulong lo)
        {
            Hi = hi;
            Lo = lo;
        }

        public static readonly Address128 Zero = new Address128(0, 0);
        public static readonly Address128 MaxV4 = new Address128(0, 0xFFFFFFFFUL);
        public static readonly Address128 MaxV6 = new Address128(ulong.MaxValue, ulong.MaxValue);

        public static Address128 Max(IpFamily family) => family == IpFamily.IPv4 ? MaxV4 : MaxV6;

        public static int Bits(IpFamily family) => family == IpFamily.IPv4 ? 32 : 128;

        public static Address128 FromIPv4(uint value) => new Address128(0, value);

        /// <summary>A value whose low <paramref name="count"/> bits are set (0..128).</summary>
        public static Address128 LowOnes(int count)
        {
            if (count <= 0) return Zero;
            if (count < 64) return new Address128(0, (1UL << count) - 1);
            if (count == 64) return new Address128(0, ulong.MaxValue);
            if (count < 128) return new Address128((1UL << (count - 64)) - 1, ulong.MaxValue);
            return MaxV6;
        }

        public Address128 And(Address128 other) => new Address128(Hi & other.Hi, Lo & other.Lo);

        public Address128 Or(Address128 other) => new Address128(Hi | other.Hi, Lo | other.Lo);

        public Address128 Not() => new Address128(~Hi, ~Lo);

        /// <summary>this + 1, wrapping at 2^128 (callers check for the family maximum first).</summary>
        public Address128 Increment() => Lo == ulong.MaxValue ? new Address128(Hi + 1, 0) : new Address128(Hi, Lo + 1);

        /// <summary>this - 1, wrapping at zero (callers check for zero first).</summary>
        public Address128 Decrement() => Lo == 0 ? new Address128(Hi - 1, ulong.MaxValue) : new Address128(Hi, Lo - 1);

        public int CompareTo(Address128 other)
        {
            if (Hi != other.Hi) return Hi < other.Hi ? -1 : 1;
            if (Lo != other.Lo) return Lo < other.Lo ? -1 : 1;
            return 0;
        }

        public bool Equals(Address128 other) => Hi == other.Hi && Lo == other.Lo;

        public override bool Equals(object obj) => obj is Address128 a && Equals(a);

        public override int GetHashCode() => (Hi ^ (Lo * 31)).GetHashCode();

        public static bool operator ==(Address128 a, Address128 b) => a.Equals(b);
        public static bool operator !=(Address128 a, Address128 b) => !a.Equals(b);
        public static bool operator <(Address128 a, Address128 b) => a.CompareTo(b) < 0;
        public static bool operator >(Address128 a, Address128 b) => a.CompareTo(b) > 0;
        public static bool operator <=(Address128 a, Address128 b) => a.CompareTo(b) <= 0;
        public static bool operator >=(Address128 a, Address128 b) => a.CompareTo(b) >= 0;

        public string ToString(IpFamily family)
        {
            if (family == IpFamily.IPv4)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}.{3}",
                    (Lo >> 24) & 0xFF, (Lo >> 16) & 0xFF, (Lo >> 8) & 0xFF, Lo & 0xFF);
            }
            var bytes = new byte[16];
            for (int i = 0; i < 8; i++)
            {
                bytes[i] = (byte)(Hi >> (56 - 8 * i));
                bytes[8 + i] = (byte)(Lo >> (56 - 8 * i));
            }
            return new IPAddress(bytes).ToString();
        }

        public override string ToString() => Hi == 0 && Lo <= 0xFFFFFFFFUL ? ToString(IpFamily.IPv4) : ToString(IpFamily.IPv6);
    }

    /// <summary>An inclusive range of addresses of one family.</summary>
    internal readonly struct AddressRange : IEquatable<AddressRange>
    {
        public readonly Address128 First;
        public readonly Address128 Last;

        public AddressRange(Address128 first, Address128 last)
        {
            if (first > last) throw new ArgumentException("The first address of a range must not exceed the last.");
            First = first;
            Last = last;
        }

        /// <summary>The block <paramref name="address"/>/<paramref name="prefix"/>; host bits of the address are ignored.</summary>
        public static AddressRange FromPrefix(IpFamily family, Address128 address, int prefix)
        {
            int bits = Address128.Bits(family);
            if (prefix < 0 || prefix > bits) throw new ArgumentOutOfRangeException(nameof(prefix));
            Address128 host = Address128.LowOnes(bits - prefix);
            Address128 first = address.And(host.Not()).And(Address128.Max(family));
            return new AddressRange(first, first.Or(host));
        }

        public bool Contains(Address128 address) => address >= First && address <= Last;

        public bool Equals(AddressRange other) => First == other.First && Last == other.Last;

        public override bool Equals(object obj) => obj is AddressRange r && Equals(r);

        public override int GetHashCode() => First.GetHashCode() * 397 ^ Last.GetHashCode();

        public string ToString(IpFamily family) =>
            First == Last ? First.ToString(family) : First.ToString(family) + "-" + Last.ToString(family);
    }
}
