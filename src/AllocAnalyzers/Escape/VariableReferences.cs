using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Escape
{
    /// <summary>
    /// Every reference to a local, a parameter or <c>this</c> (kept under the containing type) in one operation tree,
    /// by variable, in tree order: one walk of the tree however many allocations <see cref="EscapeAnalysis"/> follows
    /// through locals in it. A walk per allocation made a body with 2,000 such allocations take 2 s. The same walk
    /// notes whether the body yields or awaits: then its locals live in a heap state machine.
    /// </summary>
    internal sealed class VariableReferences
    {
        // Reused by the walks of one thread: the references found, in tree order, with their variable's number.
        [ThreadStatic]
        private static List<(int Variable, IOperation Reference)>? s_found;

        [ThreadStatic]
        private static List<int>? s_counts;

        [ThreadStatic]
        private static IOperation.OperationList.Enumerator[]? s_stack;

        // Each variable's number; its references are _references[_starts[n] .. _starts[n + 1]), in tree order: one
        // array for the whole tree, not a list per variable.
        private readonly Dictionary<ISymbol, int> _numbers = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        private readonly int[] _starts;
        private readonly IOperation[] _references;

        private VariableReferences(IOperation root)
        {
            Root = root;
            var found = s_found ??= new List<(int, IOperation)>();
            var counts = s_counts ??= new List<int>();
            found.Clear();
            counts.Clear();
            var stack = s_stack ??= new IOperation.OperationList.Enumerator[32];
            int depth = 0, deepest = 0;
            stack[depth++] = root.ChildOperations.GetEnumerator();
            while (depth > 0)
            {
                // Pre-order, as Descendants() walks, with the enumerators advanced in place: no push and pop per node.
                ref var top = ref stack[depth - 1];
                if (!top.MoveNext())
                {
                    depth--;
                    continue;
                }

                var operation = top.Current;
                if (depth == stack.Length)
                {
                    System.Array.Resize(ref stack, depth * 2);
                    s_stack = stack;
                }

                stack[depth++] = operation.ChildOperations.GetEnumerator();
                deepest = System.Math.Max(deepest, depth);

                // By kind first: one virtual call per node, and a type test only on the kinds indexed.
                ISymbol? variable;
                switch (operation.Kind)
                {
                    case OperationKind.LocalReference:
                        variable = ((ILocalReferenceOperation)operation).Local;
                        break;
                    case OperationKind.ParameterReference:
                        variable = ((IParameterReferenceOperation)operation).Parameter;
                        break;
                    case OperationKind.InstanceReference:
                        variable = operation is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance, Type: { } type } ? type : null;
                        break;
                    case OperationKind.Await:
                    case OperationKind.YieldReturn:
                    case OperationKind.YieldBreak:
                        HoistsLocals = true;
                        continue;
                    default:
                        continue;
                }

                if (variable != null)
                {
                    if (!_numbers.TryGetValue(variable, out int number))
                    {
                        _numbers.Add(variable, number = counts.Count);
                        counts.Add(0);
                    }

                    counts[number]++;
                    found.Add((number, operation));
                }
            }

            // The enumerators hold the tree: let it go with the compilation.
            System.Array.Clear(stack, 0, System.Math.Max(deepest, 1));

            _starts = new int[counts.Count + 1];
            for (int number = 0; number < counts.Count; number++)
            {
                _starts[number + 1] = _starts[number] + counts[number];
                counts[number] = _starts[number];
            }

            // counts now holds each variable's next free slot: a stable fill keeps tree order within each variable.
            _references = found.Count == 0 ? System.Array.Empty<IOperation>() : new IOperation[found.Count];
            foreach (var (number, reference) in found)
            {
                _references[counts[number]++] = reference;
            }

            found.Clear();
        }

        public IOperation Root { get; }

        /// <summary>The body awaits or yields somewhere: its locals are fields of a state machine on the heap.</summary>
        public bool HoistsLocals { get; }

        /// <summary>An index of <paramref name="root"/> of its own (a callee's body, summarised once).</summary>
        public static VariableReferences Create(IOperation root) => new VariableReferences(root);

        /// <summary>The references to <paramref name="variable"/>, in tree order.</summary>
        public References Of(ISymbol variable)
            => _numbers.TryGetValue(variable, out int number)
                ? new References(_references, _starts[number], _starts[number + 1] - _starts[number])
                : default;

        /// <summary>One variable's references: a view of the index's array (a struct, so asking allocates nothing).</summary>
        internal readonly struct References
        {
            private readonly IOperation[] _all;
            private readonly int _start;

            public References(IOperation[] all, int start, int count)
            {
                _all = all;
                _start = start;
                Count = count;
            }

            public int Count { get; }

            public IOperation this[int index] => _all[_start + index];
        }

        /// <summary>
        /// The index of the tree last asked for, kept by one operation block's scope: its allocations share a root.
        /// Behind it, one index per operation tree for the whole process, so that the analyzers of different families
        /// looking at the same body (the driver hands them the same tree) build it once. Safe to share between threads
        /// (a race builds an index twice, never a wrong one).
        /// </summary>
        internal sealed class Cache
        {
            private static readonly ConditionalWeakTable<IOperation, VariableReferences> PerTree = new ConditionalWeakTable<IOperation, VariableReferences>();
            private static readonly ConditionalWeakTable<IOperation, VariableReferences>.CreateValueCallback Build = root => new VariableReferences(root);

            private VariableReferences? _last;

            public VariableReferences For(IOperation root)
            {
                var last = Volatile.Read(ref _last);
                if (last == null || last.Root != root)
                {
                    last = PerTree.GetValue(root, Build);
                    Volatile.Write(ref _last, last);
                }

                return last;
            }
        }
    }
}
