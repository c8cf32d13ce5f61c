using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// A module's portable PDB (embedded in the assembly, or the .pdb file its debug directory names, found beside the
    /// assembly or at the path it was built to), checked against the assembly's PDB id, and the source line of an IL
    /// offset from its sequence points. Every reason it cannot give lines (no PDB, one from another build, a Windows
    /// PDB, one without line information) is one sentence in <see cref="Problem"/>.
    /// </summary>
    internal sealed class SymbolFile : IDisposable
    {
        private readonly MetadataReaderProvider? _provider;
        private readonly MetadataReader? _pdb;
        private readonly Dictionary<int, SequencePoint[]> _sequencePoints = new Dictionary<int, SequencePoint[]>();
        private readonly Dictionary<DocumentHandle, string> _documents = new Dictionary<DocumentHandle, string>();

        private SymbolFile(string modulePath, MetadataReaderProvider? provider, string? problem)
        {
            ModulePath = modulePath;
            _provider = provider;
            _pdb = provider?.GetMetadataReader();
            Problem = problem;
        }

        public string ModulePath { get; }

        /// <summary>Why this module's allocations cannot be given lines; null when they can.</summary>
        public string? Problem { get; private set; }

        public static SymbolFile Open(string modulePath)
        {
            string name = Path.GetFileName(modulePath);
            try
            {
                using var pe = new PEReader(File.OpenRead(modulePath));
                DebugDirectoryEntry? codeView = null;
                foreach (var entry in pe.ReadDebugDirectory())
                {
                    if (entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb)
                    {
                        return new SymbolFile(modulePath, pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry), null);
                    }

                    if (entry.Type == DebugDirectoryEntryType.CodeView)
                    {
                        codeView ??= entry;
                    }
                }

                if (codeView is not { } cv)
                {
                    return Failed(modulePath, $"{name} was built without debug information (no PDB is named in it): build with <DebugType>portable</DebugType> or embedded");
                }

                var data = pe.ReadCodeViewDebugDirectoryData(cv);
                if (!cv.IsPortableCodeView)
                {
                    return Failed(modulePath, $"{name} names a Windows PDB ({Path.GetFileName(data.Path)}), which alloc-profile cannot read: build with <DebugType>portable</DebugType> or embedded");
                }

                var expected = new BlobContentId(data.Guid, cv.Stamp);
                return OpenPdbFile(modulePath, data.Path, expected);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
            {
                return Failed(modulePath, $"{name} could not be read for its debug information ({e.Message})");
            }
        }

        /// <summary>
        /// The statements of <paramref name="il"/> in the method with metadata token <paramref name="methodToken"/>: the
        /// sequence point that covers its start and every one that begins inside it, as one span of lines (one statement
        /// where the JIT's map separates them, several where it merged them); null when none (and <see cref="Problem"/>
        /// says why, when it is the PDB's fault).
        /// </summary>
        public SourceLine? Find(int methodToken, IlRange il)
        {
            if (_pdb == null)
            {
                return null;
            }

            var points = SequencePointsOf(methodToken);
            if (points == null || points.Length == 0)
            {
                return null;
            }

            // A hidden sequence point (code the compiler added, such as a state machine's dispatch) belongs to the
            // visible statement before it.
            int covering = -1;
            for (int i = 0; i < points.Length && points[i].Offset <= il.Start; i++)
            {
                if (!points[i].IsHidden)
                {
                    covering = i;
                }
            }

            SequencePoint? first = covering >= 0 ? points[covering] : null;
            int line = first?.StartLine ?? int.MaxValue, column = first?.StartColumn ?? 0, endLine = first?.EndLine ?? 0, endColumn = first?.EndColumn ?? 0;
            int statements = covering >= 0 ? 1 : 0;
            for (int i = Math.Max(covering + 1, 0); i < points.Length && points[i].Offset < il.End; i++)
            {
                var point = points[i];
                if (point.IsHidden || point.Offset <= il.Start || (first is { } f && point.Document != f.Document))
                {
                    continue;
                }

                first ??= point;
                statements++;
                if (point.StartLine < line || (point.StartLine == line && point.StartColumn < column))
                {
                    (line, column) = (point.StartLine, point.StartColumn);
                }

                if (point.EndLine > endLine || (point.EndLine == endLine && point.EndColumn > endColumn))
                {
                    (endLine, endColumn) = (point.EndLine, point.EndColumn);
                }
            }

            return first is { } start ? new SourceLine(DocumentName(start.Document), line, column, endLine, endColumn, statements) : null;
        }

        public void Dispose() => _provider?.Dispose();

        private static SymbolFile OpenPdbFile(string modulePath, string pathInModule, BlobContentId expected)
        {
            string name = Path.GetFileName(modulePath);
            string beside = Path.Combine(Path.GetDirectoryName(modulePath) ?? ".", Path.GetFileName(pathInModule.Replace('\\', '/')));
            var candidates = new List<string> { beside };
            if (Path.IsPathFullyQualified(pathInModule) && !string.Equals(pathInModule, beside, StringComparison.Ordinal))
            {
                candidates.Add(pathInModule);
            }

            string? mismatched = null;
            foreach (string candidate in candidates)
            {
                if (!File.Exists(candidate))
                {
                    continue;
                }

                MetadataReaderProvider provider;
                try
                {
                    provider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(candidate));
                    var id = new BlobContentId(provider.GetMetadataReader().DebugMetadataHeader?.Id ?? default);
                    if (id != expected)
                    {
                        provider.Dispose();
                        mismatched = candidate;
                        continue;
                    }
                }
                catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    return Failed(modulePath, $"the PDB of {name} ({candidate}) is not a readable portable PDB ({e.Message}): build with <DebugType>portable</DebugType> or embedded");
                }

                var file = new SymbolFile(modulePath, provider, null);
                if (file._pdb!.MethodDebugInformation.Count == 0)
                {
                    file.Dispose();
                    return Failed(modulePath, $"the PDB of {name} ({candidate}) holds no line information (a stripped PDB?): use the PDB the build wrote");
                }

                return file;
            }

            return Failed(modulePath, mismatched != null
                ? $"the PDB beside {name} ({mismatched}) is from another build of it (its id does not match): use the PDB built with this assembly"
                : $"no PDB for {name}: looked for {string.Join(" and ", candidates)} and for one embedded in it; keep the .pdb the build writes beside the assembly, or build with <DebugType>embedded</DebugType>");
        }

        private static SymbolFile Failed(string modulePath, string problem) => new SymbolFile(modulePath, null, problem);

        private SequencePoint[]? SequencePointsOf(int methodToken)
        {
            if (_sequencePoints.TryGetValue(methodToken, out var cached))
            {
                return cached;
            }

            SequencePoint[] points;
            int row = methodToken & 0xffffff;
            if ((methodToken >> 24) != 0x06 || row == 0 || row > _pdb!.MethodDebugInformation.Count)
            {
                points = Array.Empty<SequencePoint>();
            }
            else
            {
                try
                {
                    var info = _pdb.GetMethodDebugInformation(MetadataTokens.MethodDebugInformationHandle(row));
                    var list = new List<SequencePoint>();
                    foreach (var point in info.GetSequencePoints())
                    {
                        list.Add(point);
                    }

                    points = list.ToArray();
                }
                catch (BadImageFormatException e)
                {
                    Problem ??= "the PDB of " + Path.GetFileName(ModulePath) + " has damaged line information (" + e.Message + ")";
                    points = Array.Empty<SequencePoint>();
                }
            }

            _sequencePoints[methodToken] = points;
            return points;
        }

        private string DocumentName(DocumentHandle handle)
        {
            if (!_documents.TryGetValue(handle, out string? name))
            {
                name = _pdb!.GetString(_pdb.GetDocument(handle).Name);
                _documents[handle] = name;
            }

            return name;
        }
    }

    /// <summary>
    /// A place in a source file, from the PDB's sequence points (1-based lines and columns): one statement, or the
    /// <see cref="Statements"/> that the JIT compiled into one stretch of code it does not separate.
    /// </summary>
    internal sealed record SourceLine(string File, int Line, int Column, int EndLine, int EndColumn, int Statements = 1);
}
