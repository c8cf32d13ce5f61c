using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AllocAnalyzers.Benchmarks.Speed
{
    /// <summary>
    /// A generated project of realistic shape for the speed benchmark: services with allocations, closures, LINQ,
    /// strings and structs, a share of their methods marked [HotPath] (unless
    /// <c>markHot</c> is false) and calling the rest.
    /// </summary>
    internal static class GeneratedProject
    {
        public static List<string> Files(int fileCount, int classesPerFile, int methodsPerClass, bool markHot = true)
        {
            var files = new List<string>();
            for (int f = 0; f < fileCount; f++)
            {
                var text = new StringBuilder();
                text.AppendLine("using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Text;\n");
                text.AppendLine("namespace Generated.N" + f.ToString(CultureInfo.InvariantCulture) + "\n{");
                if (f == 0)
                {
                    text.AppendLine("    [AttributeUsage(AttributeTargets.All)] internal sealed class HotPathAttribute : Attribute { }");
                }

                for (int c = 0; c < classesPerFile; c++)
                {
                    string name = "Service" + c.ToString(CultureInfo.InvariantCulture);
                    text.AppendLine($"    public struct {name}Key {{ public byte Kind; public long Id; public short Shard; public int Version; }}");
                    text.AppendLine($"    public sealed class {name}\n    {{");
                    text.AppendLine("        private readonly List<int> _items = new List<int>();\n        private readonly Dictionary<string, int> _index = new Dictionary<string, int>();\n        private int _count;");
                    for (int m = 0; m < methodsPerClass; m++)
                    {
                        string hot = markHot && m % 8 == 0 ? "        [Generated.N0.HotPath]\n" : string.Empty;
                        string next = "Work" + ((m + 1) % methodsPerClass).ToString(CultureInfo.InvariantCulture);
                        text.Append(hot);
                        text.AppendLine($$"""
                                    public int Work{{m}}(int value, string label, IEnumerable<int> source)
                                    {
                                        var buffer = new int[value & 15];
                                        for (int i = 0; i < buffer.Length; i++)
                                        {
                                            buffer[i] = i * value;
                                        }

                                        int threshold = value / 2;
                                        var selected = source.Where(x => x > threshold).Select(x => x * 2).ToList();
                                        string key = label + ":" + value;
                                        if (!_index.TryGetValue(key, out var found))
                                        {
                                            _index[key] = found = selected.Count;
                                        }

                                        object boxed = value;
                                        var text = $"{label}-{value}-{boxed}";
                                        foreach (var item in selected)
                                        {
                                            _count += item + text.Length;
                                        }

                                        _items.Add(found);
                                        return {{(m % 3 == 0 ? next + "(value - 1, label, _items)" : "_count + buffer.Length")}};
                                    }

                            """);
                    }

                    text.AppendLine("    }");
                }

                text.AppendLine("}");
                files.Add(text.ToString());
            }

            return files;
        }
    }
}
