using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace AllocAnalyzers.Profiler
{
    /// <summary>Saves a profile as JSON (<c>profile.json</c>) so that <c>alloc-profile report</c> can join it with a later build's SARIF log.</summary>
    internal static class ProfileStore
    {
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions { WriteIndented = true };

        public static void Save(AllocationProfile profile, string path)
        {
            var stored = new StoredProfile(
                profile.Duration.TotalSeconds, profile.Samples, profile.SampledBytes, profile.Collections, profile.GcPause.TotalMilliseconds,
                profile.BytesByType.OrderByDescending(t => t.Value).ToDictionary(t => t.Key, t => t.Value),
                profile.Methods.Select(m => new StoredMethod(m.Name.TypeName, m.Name.MemberName, m.Bytes, m.Samples, m.BytesByType, m.CallPaths)).ToList(),
                profile.Program);
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
                var method = new MethodAllocations(MethodName.Create(m.TypeName, m.MemberName)) { Bytes = m.Bytes, Samples = m.Samples };
                foreach (var (key, value) in m.BytesByType)
                {
                    method.BytesByType[key] = value;
                }

                foreach (var (key, value) in m.CallPaths)
                {
                    method.CallPaths[key] = value;
                }

                methods.Add(method);
            }

            return new AllocationProfile(TimeSpan.FromSeconds(stored.Seconds), methods, stored.BytesByType, stored.Samples, stored.SampledBytes, stored.Collections, TimeSpan.FromMilliseconds(stored.GcPauseMilliseconds))
            {
                Program = stored.Program,
            };
        }

        private sealed record StoredProfile(double Seconds, int Samples, long SampledBytes, int[] Collections, double GcPauseMilliseconds, Dictionary<string, long> BytesByType, List<StoredMethod> Methods, string? Program = null);

        private sealed record StoredMethod(string TypeName, string MemberName, long Bytes, int Samples, Dictionary<string, long> BytesByType, Dictionary<string, long> CallPaths);
    }
}
