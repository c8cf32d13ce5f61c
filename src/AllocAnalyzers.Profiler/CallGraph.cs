using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AllocAnalyzers.Profiler
{
    /// <summary>
    /// Which methods of an assembly call which, read from their IL (call, callvirt, newobj). The JIT's inlining events
    /// name the method being compiled as the inliner of every callee it inlined, also of one inlined through another
    /// callee; the IL says which of the inlined callees really calls it, so that the chain from a statement down to an
    /// inlined method can be followed. Methods of other assemblies are not read: their callees stay unknown.
    /// </summary>
    internal sealed class CallGraph : IDisposable
    {
        private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value, o => o.OperandType);

        private readonly Dictionary<string, Module?> _modules = new Dictionary<string, Module?>(StringComparer.Ordinal);
        private readonly Dictionary<IReadOnlyList<Inlining>, IReadOnlyList<Inlining>> _nested = new Dictionary<IReadOnlyList<Inlining>, IReadOnlyList<Inlining>>(ReferenceEqualityComparer.Instance);

        /// <summary>
        /// The body's inlinings with each callee's real inliner: the one method among the body's own and its other
        /// inlined callees whose IL calls it (all of them, when several do; the body's method when the IL cannot be read).
        /// </summary>
        public IReadOnlyList<Inlining> Nest(string modulePath, IReadOnlyList<Inlining> inlinings)
        {
            if (inlinings.Count == 0)
            {
                return inlinings;
            }

            if (_nested.TryGetValue(inlinings, out var nested))
            {
                return nested;
            }

            var module = Open(modulePath);
            var result = new List<Inlining>();
            var candidates = inlinings.Select(i => i.Inliner).Concat(inlinings.Select(i => i.Inlinee)).Distinct().ToList();
            foreach (var inlining in inlinings)
            {
                var callers = module == null ? new List<MethodName>() : candidates.Where(c => !c.Equals(inlining.Inlinee) && module.Calls(c, inlining.Inlinee)).ToList();
                if (callers.Count == 0)
                {
                    result.Add(inlining); // unknown (another assembly, or not found): as the JIT reported it
                }

                result.AddRange(callers.Select(c => new Inlining(c, inlining.Inlinee)));
            }

            nested = result.Distinct().ToList();
            _nested.Add(inlinings, nested);
            return nested;
        }

        public void Dispose()
        {
            foreach (var module in _modules.Values)
            {
                module?.Dispose();
            }
        }

        private Module? Open(string path)
        {
            if (!_modules.TryGetValue(path, out var module))
            {
                try
                {
                    module = File.Exists(path) ? new Module(new PEReader(File.OpenRead(path))) : null;
                }
                catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    module = null;
                }

                _modules.Add(path, module);
            }

            return module;
        }

        /// <summary>One assembly's methods, by type and name, and the methods each one's IL calls.</summary>
        private sealed class Module : IDisposable
        {
            private readonly PEReader _pe;
            private readonly MetadataReader _metadata;
            private readonly Dictionary<MethodName, HashSet<MethodName>> _calls = new Dictionary<MethodName, HashSet<MethodName>>();
            private Dictionary<MethodName, List<MethodDefinitionHandle>>? _definitions;

            public Module(PEReader pe)
            {
                _pe = pe;
                _metadata = pe.GetMetadataReader();
            }

            /// <summary>True when some overload of <paramref name="caller"/> in this assembly calls <paramref name="callee"/>.</summary>
            public bool Calls(MethodName caller, MethodName callee)
            {
                if (!_calls.TryGetValue(caller, out var callees))
                {
                    callees = new HashSet<MethodName>();
                    _definitions ??= _metadata.MethodDefinitions.Select(h => (Handle: h, Name: Name(h))).Where(m => m.Name != null)
                        .GroupBy(m => m.Name!).ToDictionary(g => g.Key, g => g.Select(m => m.Handle).ToList());
                    foreach (var handle in _definitions.TryGetValue(caller, out var overloads) ? overloads : new List<MethodDefinitionHandle>())
                    {
                        ReadCalls(_metadata.GetMethodDefinition(handle), callees);
                    }

                    _calls.Add(caller, callees);
                }

                return callees.Contains(callee);
            }

            public void Dispose() => _pe.Dispose();

            private void ReadCalls(MethodDefinition method, HashSet<MethodName> callees)
            {
                if (method.RelativeVirtualAddress == 0)
                {
                    return;
                }

                var il = _pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
                while (il.RemainingBytes > 0)
                {
                    short code = il.ReadByte();
                    if (code == 0xFE && il.RemainingBytes > 0)
                    {
                        code = (short)(0xFE00 | il.ReadByte());
                    }

                    if (!Operands.TryGetValue(code, out var operand))
                    {
                        return; // not IL this reader knows: stop rather than misread the rest
                    }

                    if (operand == OperandType.InlineMethod)
                    {
                        if (Callee(MetadataTokens.EntityHandle(il.ReadInt32())) is { } callee)
                        {
                            callees.Add(callee);
                        }

                        continue;
                    }

                    int size = operand switch
                    {
                        OperandType.InlineNone => 0,
                        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                        OperandType.InlineVar => 2,
                        OperandType.InlineI8 or OperandType.InlineR => 8,
                        OperandType.InlineSwitch => 4 * il.ReadInt32(),
                        _ => 4,
                    };
                    il.Offset += size;
                }
            }

            private MethodName? Callee(EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.MethodDefinition:
                        return Name((MethodDefinitionHandle)handle);
                    case HandleKind.MemberReference:
                        var reference = _metadata.GetMemberReference((MemberReferenceHandle)handle);
                        return TypeName(reference.Parent) is { } type ? MethodName.Parse(type + "." + _metadata.GetString(reference.Name)) : null;
                    case HandleKind.MethodSpecification:
                        return Callee(_metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
                    default:
                        return null;
                }
            }

            /// <summary>The method as the runtime's events name it (<see cref="MethodName.Parse"/>: a lambda as the method that declares it).</summary>
            private MethodName? Name(MethodDefinitionHandle handle)
            {
                var method = _metadata.GetMethodDefinition(handle);
                return MethodName.Parse(TypeName(method.GetDeclaringType()) + "." + _metadata.GetString(method.Name));
            }

            private string? TypeName(EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.TypeDefinition:
                        var definition = _metadata.GetTypeDefinition((TypeDefinitionHandle)handle);
                        string name = _metadata.GetString(definition.Name);
                        var declaring = definition.GetDeclaringType();
                        return declaring.IsNil ? Qualified(_metadata.GetString(definition.Namespace), name) : TypeName(declaring) + "." + name;
                    case HandleKind.TypeReference:
                        var reference = _metadata.GetTypeReference((TypeReferenceHandle)handle);
                        string referenced = _metadata.GetString(reference.Name);
                        return reference.ResolutionScope.Kind == HandleKind.TypeReference
                            ? TypeName((TypeReferenceHandle)reference.ResolutionScope) + "." + referenced
                            : Qualified(_metadata.GetString(reference.Namespace), referenced);
                    default:
                        return null; // a generic instantiation (TypeSpec): not a method of the program's own types
                }
            }

            private static string Qualified(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
        }
    }
}
