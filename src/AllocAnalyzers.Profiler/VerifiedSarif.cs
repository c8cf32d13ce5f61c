using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// The build's SARIF log, unchanged but for the measured figures: each ALLOC1xx/2xx result gets
    /// <c>allocProfile.*</c> properties in its property bag (verdict, sampled bytes with the 95% interval, samples,
    /// rate, share, the types sampled at its line, a note), and each run the profile's summary and the sampled sites
    /// without a finding, so that a SARIF viewer or a CI dashboard can show them beside the finding.
    /// </summary>
    internal static class VerifiedSarif
    {
        private static readonly JsonSerializerOptions Indented = new JsonSerializerOptions { WriteIndented = true };

        public static void Write(string sarifPath, Verification verification, string program, string outputPath)
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(File.ReadAllText(sarifPath));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                throw new ProfilerException("cannot read the SARIF log '" + sarifPath + "': " + e.Message);
            }

            var byKey = new Dictionary<(string, string, int, string), VerifiedFinding>();
            foreach (var verified in verification.Findings)
            {
                byKey.TryAdd(verified.Finding.Key, verified);
            }

            var profile = verification.Profile;
            double seconds = Math.Max(profile.Duration.TotalSeconds, 1e-9);
            foreach (var run in root?["runs"] as JsonArray ?? new JsonArray())
            {
                if (run is not JsonObject runObject)
                {
                    continue;
                }

                foreach (var result in runObject["results"] as JsonArray ?? new JsonArray())
                {
                    if (result is JsonObject resultObject && KeyOf(resultObject) is { } key && byKey.TryGetValue(key, out var verified))
                    {
                        Annotate(Properties(resultObject), verified, profile, seconds);
                    }
                }

                var summary = Properties(runObject);
                summary["allocProfile.program"] = program;
                summary["allocProfile.seconds"] = Math.Round(profile.Duration.TotalSeconds, 3);
                summary["allocProfile.samples"] = profile.Samples;
                summary["allocProfile.sampledBytes"] = profile.SampledBytes;
                summary["allocProfile.tier0Bytes"] = verification.Whole.UnoptimizedBytes;
                summary["allocProfile.unseenBelowBytes"] = Math.Round(verification.UnseenBelow);
                var misses = new JsonArray();
                foreach (var site in verification.Unexplained)
                {
                    misses.Add(new JsonObject
                    {
                        ["file"] = site.Line.File,
                        ["line"] = site.Line.Line,
                        ["method"] = site.Method.Display,
                        ["sampledBytes"] = site.Bytes,
                        ["samples"] = site.Samples,
                        ["types"] = Types(site.BytesByType),
                    });
                }

                summary["allocProfile.sitesWithoutFinding"] = misses;
                summary["allocProfile.sitesInAssembliesWithoutFindings"] = verification.Elsewhere.Count;
            }

            File.WriteAllText(outputPath, root?.ToJsonString(Indented) ?? "{}");
        }

        private static void Annotate(JsonObject properties, VerifiedFinding verified, AllocationProfile profile, double seconds)
        {
            var (low, high) = Sampling.BytesInterval(verified.Bytes, verified.Samples, profile.BytesPerSample);
            properties["allocProfile.verdict"] = verified.Verdict switch
            {
                Verdict.Observed => "observed",
                Verdict.OtherTypesAtLine => "otherTypesAtLine",
                Verdict.OnlyUnoptimized => "onlyInTier0Code",
                _ => "notObserved",
            };
            properties["allocProfile.sampledBytes"] = verified.Bytes;
            properties["allocProfile.samples"] = verified.Samples;
            properties["allocProfile.bytesLow95"] = Math.Round(low);
            properties["allocProfile.bytesHigh95"] = Math.Round(high);
            properties["allocProfile.bytesPerSecond"] = Math.Round(verified.Bytes / seconds);
            properties["allocProfile.shareOfSampled"] = profile.SampledBytes > 0 ? Math.Round((double)verified.Bytes / profile.SampledBytes, 6) : 0;
            properties["allocProfile.confidence"] = Sampling.Confidence(verified.Samples);
            properties["allocProfile.countedIn"] = verified.CountedIn.ToString().ToLowerInvariant();
            properties["allocProfile.typesAtLine"] = Types(verified.TypesAtLine);
            if (verified.After is { } after)
            {
                properties["allocProfile.afterFixBytes"] = after.Bytes;
                properties["allocProfile.afterFixSamples"] = after.Samples;
            }

            if (verified.Note.Length > 0)
            {
                properties["allocProfile.note"] = verified.Note;
            }
        }

        private static JsonObject Types(IReadOnlyDictionary<string, long> types)
        {
            var result = new JsonObject();
            foreach (var (type, bytes) in types.OrderByDescending(t => t.Value))
            {
                result[type] = bytes;
            }

            return result;
        }

        private static JsonObject Properties(JsonObject owner)
        {
            if (owner["properties"] is JsonObject existing)
            {
                return existing;
            }

            var created = new JsonObject();
            owner["properties"] = created;
            return created;
        }

        /// <summary>The same key <see cref="Finding.Key"/> gives, read from the result as <see cref="SarifFindings"/> reads it.</summary>
        private static (string, string, int, string)? KeyOf(JsonObject result)
        {
            using var document = JsonDocument.Parse(result.ToJsonString());
            var element = document.RootElement;
            return SarifFindings.TryLocation(element, out string file, out int line, out _)
                ? (SarifFindings.RuleIdOf(element), file, line, SarifFindings.MessageOf(element))
                : null;
        }
    }
}
