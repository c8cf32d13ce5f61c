using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace AllocAnalyzers.Profiler
{
    /// <summary>Saves a profile as JSON (<c>profile.json</c>) so that <c>alloc-profile report</c> and <c>verify</c> can join it with a later build's SARIF log.</summary>
    internal static class ProfileStore
    {
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions { WriteIndented = true };

        public static void Save(AllocationProfile profile, string path)
        {
            var stored = new StoredProfile(
                profile.Duration.TotalSeconds, profile.Samples, profile.SampledBytes, profile.Collections, profile.GcPause.TotalMilliseconds,
                profile.BytesByType.OrderByDescending(t => t.Value).ToDictionary(t => t.Key, t => t.Value),
                profile.Methods.Select(m => new StoredMethod(m.Name.TypeName, m.Name.MemberName, m.Bytes, m.Samples, m.BytesByType, m.CallPaths, m.SamplesByType, m.StoredUnoptimized())).ToList(),
                profile.Program,
                profile.Sites.Select(t => new StoredSite(t.Line.File, t.Line.Line, t.Line.Column, t.Line.EndLine, t.Line.EndColumn, t.Line.Statements, t.Method.TypeName, t.Method.MemberName, t.Module, t.Bytes, t.Samples, t.BytesByType, t.SamplesByType, t.Via, t.StoredUnoptimized(), t.Inlinings.Count == 0 ? null : t.Inlinings.Select(i => new[] { i.Inliner.TypeName, i.Inliner.MemberName, i.Inlinee.TypeName, i.Inlinee.MemberName }).ToList())).ToList(),
                new StoredLines(profile.Lines.Resolved, profile.Lines.Unresolved),
                profile.Randomized);
            File.WriteAllText(path, JsonSerializer.Serialize(stored, Options));
        }

        public static AllocationProfile Load(string path)
        {
            StoredProfile? stored;
            try
            {
                stored = JsonSerializer.Deserialize<StoredProfile>(File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                throw new ProfilerException("cannot read the profile '" + path + "': " + e.Message);
            }

            if (stored?.Methods == null || stored.Collections is not { Length: 3 })
            {
                throw new ProfilerException("'" + path + "' is not a profile written by alloc-profile");
            }

            var methods = new List<MethodAllocations>();
            foreach (var m in stored.Methods)
            {
                var method = new MethodAllocations(MethodName.Create(m.TypeName, m.MemberName));
                method.Load(m.Bytes, m.Samples, m.BytesByType, m.SamplesByType, m.Unoptimized);

                foreach (var (key, value) in m.CallPaths)
                {
                    method.CallPaths[key] = value;
                }

                methods.Add(method);
            }

            var sites = new List<AllocationSite>();
            foreach (var t in stored.Sites ?? new List<StoredSite>())
            {
                var site = new AllocationSite(new SourceLine(t.File, t.Line, t.Column, t.EndLine, t.EndColumn, t.Statements), MethodName.Create(t.TypeName, t.MemberName), t.Module);
                site.Load(t.Bytes, t.Samples, t.BytesByType, t.SamplesByType, t.Unoptimized);
                foreach (var (callee, bytes) in t.Via ?? new Dictionary<string, long>())
                {
                    site.Via[callee] = bytes;
                }

                foreach (var inlining in t.Inlinings ?? new List<string[]>())
                {
                    if (inlining is { Length: 4 })
                    {
                        site.Inlinings.Add(new Inlining(MethodName.Create(inlining[0], inlining[1]), MethodName.Create(inlining[2], inlining[3])));
                    }
                }

                sites.Add(site);
            }

            var lines = new LineCoverage { Resolved = stored.Lines?.Resolved ?? 0 };
            foreach (var (reason, count) in stored.Lines?.Unresolved ?? new Dictionary<string, int>())
            {
                lines.Unresolved[reason] = count;
            }

            return new AllocationProfile(TimeSpan.FromSeconds(stored.Seconds), methods, stored.BytesByType, stored.Samples, stored.SampledBytes, stored.Collections, TimeSpan.FromMilliseconds(stored.GcPauseMilliseconds))
            {
                Program = stored.Program,
                Randomized = stored.Randomized ?? false,
                Sites = sites,
                Lines = lines,
            };
        }

        private sealed record StoredProfile(double Seconds, int Samples, long SampledBytes, int[] Collections, double GcPauseMilliseconds, Dictionary<string, long> BytesByType, List<StoredMethod> Methods, string? Program = null, List<StoredSite>? Sites = null, StoredLines? Lines = null, bool? Randomized = null);

        private sealed record StoredSite(string File, int Line, int Column, int EndLine, int EndColumn, int Statements, string TypeName, string MemberName, string Module, long Bytes, int Samples, Dictionary<string, long> BytesByType, Dictionary<string, int> SamplesByType, Dictionary<string, long>? Via = null, Dictionary<string, long[]>? Unoptimized = null, List<string[]>? Inlinings = null);

        private sealed record StoredLines(int Resolved, Dictionary<string, int> Unresolved);

        private sealed record StoredMethod(string TypeName, string MemberName, long Bytes, int Samples, Dictionary<string, long> BytesByType, Dictionary<string, long> CallPaths, Dictionary<string, int>? SamplesByType = null, Dictionary<string, long[]>? Unoptimized = null);
    }
}
