using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Port53.Api.Models;

namespace Port53.Tests.Analysis
{
    /// <summary>
    /// A deliberately naive, independent evaluator: it parses rules with its own small code (System.UInt128,
    /// IPAddress.Parse) and answers the exposure question by first-match evaluation of concrete sample addresses.
    ///
    /// The samples are exact, not a heuristic: every block in the case (rule sources, template entries and the
    /// non-public list) contributes its first address and last+1 (plus their neighbours), and 0. Addresses between
    /// two consecutive such boundaries are inside exactly the same blocks, so they share the same first match;
    /// one sample per interval therefore decides the same as all addresses.
    ///
    /// Definitions, which the production evaluator must meet:
    ///   open     ⇔ some public sample's first matching rule is ACCEPT;
    ///   deciding (open)   = the earliest rule that is the first match of an accepted public sample;
    ///   deciding (closed) = null if some public sample matches no rule, else the latest rule that is the first
    ///                       match of some public sample (the DROP that decided the last undecided address).
    /// </summary>
    internal sealed class ReferenceEvaluator
    {
        private readonly List<RefRule> _rules = new List<RefRule>();
        private readonly List<UInt128> _samplesV4 = new List<UInt128>();
        private readonly List<UInt128> _samplesV6 = new List<UInt128>();

        private static readonly UInt128 MaxV4 = uint.MaxValue;
        private static readonly UInt128 MaxV6 = UInt128.MaxValue;

        public ReferenceEvaluator(IReadOnlyList<(string GroupId, List<SecurityGroupPolicy> Ingress)> groups,
            Dictionary<string, List<string>> services, Dictionary<string, List<string>> serviceGroups,
            Dictionary<string, List<string>> addresses, Dictionary<string, List<string>> addressGroups)
        {
            var blocks = new List<RefBlock>();
            foreach (var (groupId, ingress) in groups)
            {
                IEnumerable<SecurityGroupPolicy> ordered = ingress.All(p => p.PolicyIndex.HasValue)
                    ? ingress.OrderBy(p => p.PolicyIndex.Value) // LINQ OrderBy is stable: ties keep list order
                    : ingress;
                foreach (SecurityGroupPolicy p in ordered)
                {
                    var rule = new RefRule { GroupId = groupId, Policy = p, Action = (p.Action ?? "").Trim().ToUpperInvariant() };
                    string svcId = Blank(p.ServiceTemplate?.ServiceId), svcGroup = Blank(p.ServiceTemplate?.ServiceGroupId);
                    if (svcId != null || svcGroup != null)
                    {
                        foreach (string entry in Members(svcId, svcGroup, services, serviceGroups)) ServiceEntry(entry, rule);
                    }
                    else
                    {
                        string proto = (p.Protocol ?? "").Trim().ToUpperInvariant();
                        bool portOk = PortHas53(p.Port);
                        rule.Udp = portOk && (proto == "UDP" || proto == "ALL");
                        rule.Tcp = portOk && (proto == "TCP" || proto == "ALL");
                    }
                    if (Blank(p.CidrBlock) != null) AddBlock(rule.Sources, p.CidrBlock, false);
                    else if (Blank(p.Ipv6CidrBlock) != null) AddBlock(rule.Sources, p.Ipv6CidrBlock, true);
                    else if (p.AddressTemplate != null)
                    {
                        foreach (string entry in Members(Blank(p.AddressTemplate.AddressId), Blank(p.AddressTemplate.AddressGroupId), addresses, addressGroups))
                        {
                            AddBlock(rule.Sources, entry, null);
                        }
                    }
                    blocks.AddRange(rule.Sources);
                    _rules.Add(rule);
                }
            }
            foreach (string b in Port53.Analysis.PublicAddressSpace.NonPublicV4) AddBlock(blocks, b, false);
            foreach (string b in Port53.Analysis.PublicAddressSpace.NonPublicV6) AddBlock(blocks, b, true);
            var v4 = new HashSet<UInt128> { 0, MaxV4 };
            var v6 = new HashSet<UInt128> { 0, MaxV6 };
            foreach (string fixedSample in new[] { "8.8.8.8", "1.1.1.1", "203.0.113.7", "2001:4860:4860::8888", "2400:cb00::1" })
            {
                RefBlock f = ParseBlock(fixedSample).Value;
                (f.V6 ? v6 : v4).Add(f.Lo);
            }
            foreach (RefBlock b in blocks)
            {
                HashSet<UInt128> set = b.V6 ? v6 : v4;
                UInt128 max = b.V6 ? MaxV6 : MaxV4;
                set.Add(b.Lo);
                set.Add(b.Hi);
                if (b.Lo > 0) set.Add(b.Lo - 1);
                if (b.Hi < max) set.Add(b.Hi + 1);
                if (b.Lo < max) set.Add(b.Lo + 1);
                if (b.Hi > 0) set.Add(b.Hi - 1);
            }
            _samplesV4.AddRange(v4.Where(a => IsPublic(a, false)));
            _samplesV6.AddRange(v6.Where(a => IsPublic(a, true)));
        }

        public (bool Open, SecurityGroupPolicy Deciding, string GroupId) Evaluate(bool udp, bool v6)
        {
            int firstAccept = int.MaxValue, lastMatch = -1;
            bool anyUnmatched = false;
            foreach (UInt128 a in v6 ? _samplesV6 : _samplesV4)
            {
                int hit = -1;
                for (int i = 0; i < _rules.Count; i++)
                {
                    RefRule r = _rules[i];
                    if ((udp ? r.Udp : r.Tcp) && (r.Action == "ACCEPT" || r.Action == "DROP") && r.Sources.Any(b => b.V6 == v6 && b.Lo <= a && a <= b.Hi))
                    {
                        hit = i;
                        break;
                    }
                }
                if (hit < 0) anyUnmatched = true;
                else if (_rules[hit].Action == "ACCEPT") firstAccept = Math.Min(firstAccept, hit);
                else lastMatch = Math.Max(lastMatch, hit);
            }
            if (firstAccept != int.MaxValue) return (true, _rules[firstAccept].Policy, _rules[firstAccept].GroupId);
            if (anyUnmatched || lastMatch < 0) return (false, null, null);
            return (false, _rules[lastMatch].Policy, _rules[lastMatch].GroupId);
        }

        private static IEnumerable<string> Members(string id, string groupId, Dictionary<string, List<string>> templates, Dictionary<string, List<string>> groups)
        {
            // Unknown ids contribute nothing: the production evaluator also reads them as "no match" (plus a warning).
            if (id != null) return templates.TryGetValue(id, out var e) ? e : Enumerable.Empty<string>();
            if (!groups.TryGetValue(groupId, out var members)) return Enumerable.Empty<string>();
            return members.SelectMany(m => templates.TryGetValue(m, out var e) ? e : Enumerable.Empty<string>());
        }

        private static void ServiceEntry(string entry, RefRule rule)
        {
            string e = entry.Trim().ToLowerInvariant();
            string[] parts = e.Split(':');
            string proto = parts[0].Trim();
            bool port = parts.Length == 1 || PortHas53(parts[1]);
            if (proto == "all" || proto == "udp") rule.Udp |= port;
            if (proto == "all" || proto == "tcp") rule.Tcp |= port;
        }

        private static bool PortHas53(string port)
        {
            string s = (port ?? "").Trim();
            if (s.Length == 0 || s.Equals("all", StringComparison.OrdinalIgnoreCase)) return true;
            bool has = false;
            foreach (string item in s.Split(','))
            {
                string[] ends = item.Split('-');
                if (ends.Length > 2 || !ends.All(x => int.TryParse(x.Trim(), out int v) && v >= 0 && v <= 65535 && x.Trim().All(char.IsDigit))) return false;
                int lo = int.Parse(ends[0]), hi = int.Parse(ends[ends.Length - 1]);
                if (lo > hi) return false;
                has |= lo <= 53 && 53 <= hi;
            }
            return has;
        }

        private static void AddBlock(List<RefBlock> into, string text, bool? requireV6)
        {
            RefBlock? b = ParseBlock(text);
            if (b.HasValue && (requireV6 == null || b.Value.V6 == requireV6.Value)) into.Add(b.Value);
        }

        private static RefBlock? ParseBlock(string text)
        {
            string s = text.Trim();
            if (s.Contains('/'))
            {
                string[] parts = s.Split('/');
                if (!TryAddress(parts[0], out UInt128 a, out bool v6)) return null;
                int bits = v6 ? 128 : 32;
                int prefix = int.Parse(parts[1].Trim());
                UInt128 host = prefix == bits ? UInt128.Zero : (bits - prefix == 128 ? UInt128.MaxValue : (UInt128.One << (bits - prefix)) - 1);
                UInt128 lo = a & ~host & (v6 ? MaxV6 : MaxV4);
                return new RefBlock { V6 = v6, Lo = lo, Hi = lo | host };
            }
            if (s.Contains('-'))
            {
                string[] parts = s.Split('-');
                if (!TryAddress(parts[0], out UInt128 lo, out bool v6) || !TryAddress(parts[1], out UInt128 hi, out _)) return null;
                return new RefBlock { V6 = v6, Lo = lo, Hi = hi };
            }
            if (!TryAddress(s, out UInt128 single, out bool isV6)) return null;
            return new RefBlock { V6 = isV6, Lo = single, Hi = single };
        }

        private static bool TryAddress(string text, out UInt128 value, out bool v6)
        {
            value = 0;
            v6 = false;
            if (!IPAddress.TryParse(text.Trim(), out IPAddress ip)) return false;
            v6 = ip.AddressFamily == AddressFamily.InterNetworkV6;
            foreach (byte b in ip.GetAddressBytes()) value = (value << 8) | b;
            return true;
        }

        // The list itself is the spec (it lives in one place in production); membership is computed here.
        private static readonly RefBlock[] NonPublicV4 = Port53.Analysis.PublicAddressSpace.NonPublicV4.Select(t => ParseBlock(t).Value).ToArray();
        private static readonly RefBlock[] NonPublicV6 = Port53.Analysis.PublicAddressSpace.NonPublicV6.Select(t => ParseBlock(t).Value).ToArray();

        private static bool IsPublic(UInt128 a, bool v6) => !(v6 ? NonPublicV6 : NonPublicV4).Any(b => b.Lo <= a && a <= b.Hi);

        private static string Blank(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

        private struct RefBlock
        {
            public bool V6;
            public UInt128 Lo, Hi;
        }

        private sealed class RefRule
        {
            public string GroupId;
            public SecurityGroupPolicy Policy;
            public string Action;
            public bool Udp, Tcp;
            public List<RefBlock> Sources = new List<RefBlock>();
        }
    }
}
