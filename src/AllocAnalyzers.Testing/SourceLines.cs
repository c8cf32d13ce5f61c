#if NET
using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AllocAnalyzers.Testing
{
    /// <summary>
    /// File and line of a stack frame captured without them, read from the module's portable PDB (embedded, or the
    /// file beside it) only when a violation is rendered: a Rent or Return then pays for the stack walk alone, not for
    /// the symbol look-up of every frame (half the cost; see docs/benchmarks/StrictPoolBenchmarks.md).
    /// </summary>
    internal static class SourceLines
    {
        private static readonly ConcurrentDictionary<Module, MetadataReader?> Readers = new ConcurrentDictionary<Module, MetadataReader?>();

        public static bool TryFind(StackFrame frame, MethodBase method, out string file, out int line)
        {
            file = string.Empty;
            line = 0;
            int offset = frame.GetILOffset();
            if (offset == StackFrame.OFFSET_UNKNOWN || Readers.GetOrAdd(method.Module, Open) is not { } reader)
            {
                return false;
            }

            try
            {
                var handle = MetadataTokens.MethodDefinitionHandle(method.MetadataToken).ToDebugInformationHandle();
                SequencePoint? best = null;
                foreach (var point in reader.GetMethodDebugInformation(handle).GetSequencePoints())
                {
                    if (point.Offset > offset)
                    {
                        break;
                    }

                    if (!point.IsHidden)
                    {
                        best = point;
                    }
                }

                if (best is not { } found)
                {
                    return false;
                }

                file = reader.GetString(reader.GetDocument(found.Document).Name);
                line = found.StartLine;
                return true;
            }
            catch (Exception e) when (e is BadImageFormatException || e is ArgumentException || e is InvalidOperationException)
            {
                return false;
            }
        }

        /// <summary>The module's portable PDB, embedded or beside it; null when there is none (or it is a Windows PDB).</summary>
        private static MetadataReader? Open(Module module)
        {
            try
            {
                string path = module.Assembly.Location;
                if (string.IsNullOrEmpty(path) || !File.Exists(path))
                {
                    return null;
                }

                using var pe = new PEReader(File.OpenRead(path));
                foreach (var entry in pe.ReadDebugDirectory())
                {
                    if (entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb)
                    {
                        return pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry).GetMetadataReader();
                    }
                }

                string pdb = Path.ChangeExtension(path, ".pdb");
                if (!File.Exists(pdb))
                {
                    return null;
                }

                return MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdb)).GetMetadataReader();
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
#endif
