using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace AllocAnalyzers.Tests.TestHarness
{
    /// <summary>One allocating IL instruction (or call to a string-building method) and the source line it came from.</summary>
    public sealed record IlSite(string Method, string OpCode, string Type, string Member, int Line, bool IsDelegateConstructor, bool IsCachedDelegate)
    {
        /// <summary>For a call: it carries the <c>constrained.</c> prefix (a call on a value type through its base).</summary>
        public bool Constrained { get; init; }

        /// <summary>For a box: the next instruction, to spot the patterns the JIT removes (unbox.any, isinst, null tests).</summary>
        public string Next { get; init; } = string.Empty;
    }

    /// <summary>
    /// Reads the IL of a compilation (System.Reflection.Metadata, with the portable PDB's sequence points) and lists
    /// the instructions that allocate: <c>newobj</c>, <c>newarr</c>, <c>box</c>, and calls to methods named in
    /// <paramref name="calls"/>. The ground truth the IL completeness tests compare the analyzers with.
    /// </summary>
    public static class IlSites
    {
        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

        public static List<IlSite> Read(CSharpCompilation compilation)
        {
            using var pe = new MemoryStream();
            using var pdb = new MemoryStream();
            var result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
            if (!result.Success)
            {
                throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            }

            pe.Position = 0;
            pdb.Position = 0;
            using var peReader = new PEReader(pe);
            using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(pdb);
            var metadata = peReader.GetMetadataReader();
            var debug = pdbProvider.GetMetadataReader();
            var sites = new List<IlSite>();
            foreach (var handle in metadata.MethodDefinitions)
            {
                var method = metadata.GetMethodDefinition(handle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                var body = peReader.GetMethodBody(method.RelativeVirtualAddress);
                var points = debug.GetMethodDebugInformation(handle.ToDebugInformationHandle()).GetSequencePoints()
                    .Where(p => !p.IsHidden).OrderBy(p => p.Offset).ToList();
                string name = metadata.GetString(metadata.GetTypeDefinition(method.GetDeclaringType()).Name) + "::" + metadata.GetString(method.Name);
                sites.AddRange(Decode(metadata, body.GetILBytes()!, points, name));
            }

            return sites;
        }

        private static IEnumerable<IlSite> Decode(MetadataReader metadata, byte[] il, List<SequencePoint> points, string method)
        {
            var instructions = new List<(int Offset, OpCode Code, int Token)>();
            int position = 0;
            while (position < il.Length)
            {
                int offset = position;
                short value = il[position++];
                if (value == 0xFE)
                {
                    value = unchecked((short)(0xFE00 | il[position++]));
                }

                var code = OpCodesByValue[value];
                int token = 0;
                switch (code.OperandType)
                {
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        position += 1;
                        break;
                    case OperandType.InlineVar:
                        position += 2;
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        position += 8;
                        break;
                    case OperandType.InlineSwitch:
                        int count = BitConverter.ToInt32(il, position);
                        position += 4 + (4 * count);
                        break;
                    default:
                        token = BitConverter.ToInt32(il, position);
                        position += 4;
                        break;
                }

                instructions.Add((offset, code, token));
            }

            for (int i = 0; i < instructions.Count; i++)
            {
                var (offset, code, token) = instructions[i];
                if (code != OpCodes.Newobj && code != OpCodes.Newarr && code != OpCodes.Box && code != OpCodes.Call && code != OpCodes.Callvirt)
                {
                    continue;
                }

                int line = points.LastOrDefault(p => p.Offset <= offset).StartLine;
                var handle = MetadataTokens.EntityHandle(token);
                string type;
                string member = string.Empty;
                bool isDelegate = false;
                if (code == OpCodes.Newarr || code == OpCodes.Box)
                {
                    type = TypeName(metadata, handle);
                }
                else
                {
                    (type, member, int parameters, bool delegateShape) = MethodInfo(metadata, handle);
                    isDelegate = code == OpCodes.Newobj && parameters == 2 && delegateShape;
                }

                bool cached = isDelegate && i + 2 < instructions.Count && instructions[i + 1].Code == OpCodes.Dup && instructions[i + 2].Code == OpCodes.Stsfld;
                yield return new IlSite(method, code.Name!, type, member, line, isDelegate, cached)
                {
                    Constrained = i > 0 && instructions[i - 1].Code == OpCodes.Constrained,
                    Next = i + 1 < instructions.Count ? instructions[i + 1].Code.Name! : string.Empty,
                };
            }
        }

        private static (string Type, string Member, int Parameters, bool DelegateShape) MethodInfo(MetadataReader metadata, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.MethodDefinition:
                    var definition = metadata.GetMethodDefinition((MethodDefinitionHandle)handle);
                    var signature = definition.DecodeSignature(new NameProvider(), null);
                    return (TypeName(metadata, definition.GetDeclaringType()), metadata.GetString(definition.Name), signature.ParameterTypes.Length, IsDelegateShape(signature));
                case HandleKind.MemberReference:
                    var reference = metadata.GetMemberReference((MemberReferenceHandle)handle);
                    var referenceSignature = reference.DecodeMethodSignature(new NameProvider(), null);
                    return (TypeName(metadata, reference.Parent), metadata.GetString(reference.Name), referenceSignature.ParameterTypes.Length, IsDelegateShape(referenceSignature));
                case HandleKind.MethodSpecification:
                    var specification = metadata.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return MethodInfo(metadata, specification.Method);
                default:
                    return (string.Empty, string.Empty, 0, false);
            }
        }

        private static bool IsDelegateShape(MethodSignature<string> signature)
            => signature.ParameterTypes.Length == 2 && signature.ParameterTypes[0] == "System.Object" && signature.ParameterTypes[1] == "System.IntPtr";

        private static string TypeName(MetadataReader metadata, EntityHandle handle)
        {
            var provider = new NameProvider();
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return provider.GetTypeFromDefinition(metadata, (TypeDefinitionHandle)handle, 0);
                case HandleKind.TypeReference:
                    return provider.GetTypeFromReference(metadata, (TypeReferenceHandle)handle, 0);
                case HandleKind.TypeSpecification:
                    return metadata.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(provider, null);
                default:
                    return string.Empty;
            }
        }

        /// <summary>Type names in metadata form ("Namespace.Outer+Inner`1"), without generic arguments.</summary>
        private sealed class NameProvider : ISignatureTypeProvider<string, object?>
        {
            public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
            public string GetByReferenceType(string elementType) => elementType + "&";
            public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;
            public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
            public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
            public string GetPinnedType(string elementType) => elementType;
            public string GetPointerType(string elementType) => elementType + "*";
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
            {
                PrimitiveTypeCode.Object => "System.Object",
                PrimitiveTypeCode.IntPtr => "System.IntPtr",
                PrimitiveTypeCode.String => "System.String",
                _ => "System." + typeCode,
            };

            public string GetSZArrayType(string elementType) => elementType + "[]";

            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
            {
                var definition = reader.GetTypeDefinition(handle);
                string name = reader.GetString(definition.Name);
                var declaring = definition.GetDeclaringType();
                if (!declaring.IsNil)
                {
                    return GetTypeFromDefinition(reader, declaring, 0) + "+" + name;
                }

                string ns = reader.GetString(definition.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }

            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                var reference = reader.GetTypeReference(handle);
                string name = reader.GetString(reference.Name);
                if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
                {
                    return GetTypeFromReference(reader, (TypeReferenceHandle)reference.ResolutionScope, 0) + "+" + name;
                }

                string ns = reader.GetString(reference.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }

            public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
                => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        }
    }
}
