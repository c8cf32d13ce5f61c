using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Pooling
{
    /// <summary>
    /// ALLOC405: code that treats an <c>ArrayPool</c> rental's Length as the requested size: a <c>for</c> loop bounded by
    /// <c>array.Length</c>, <c>foreach</c> over the array, <c>AsSpan()</c>/<c>AsMemory()</c> or a span constructed from
    /// the whole array or stored in a span local, and <c>Array.Clear/Fill/Sort/Reverse</c> of the whole array. Passing
    /// the array where a span is expected (a copy destination, a buffer to fill) is not reported: the callee decides
    /// how much of it to use.
    /// </summary>
    internal static class RentedLengthUses
    {
        public static void Analyze(IOperation block, ImmutableArray<(string Rent, string Return)> custom, Action<Diagnostic> report)
        {
            var rentals = new Dictionary<ILocalSymbol, IInvocationOperation>(SymbolEqualityComparer.Default);
            foreach (var node in block.Descendants())
            {
                if (node is IVariableDeclaratorOperation { Initializer.Value: var value } declarator
                    && value.WithoutConversions() is IInvocationOperation invocation && PoolApi.IsRent(invocation, custom, out var kind) && kind == RentalKind.Array)
                {
                    rentals[declarator.Symbol] = invocation;
                }
            }

            if (rentals.Count == 0)
            {
                return;
            }

            foreach (var node in block.Descendants())
            {
                switch (node)
                {
                    case IForLoopOperation loop when loop.Condition != null:
                        foreach (var part in loop.Condition.DescendantsAndSelf())
                        {
                            if (part is IPropertyReferenceOperation { Property.Name: "Length" } length && Rental(length.Instance, rentals) is { } local)
                            {
                                Report(report, length, local, rentals, "the loop bounded by its Length");
                            }
                        }

                        break;
                    case IForEachLoopOperation forEach when Rental(forEach.Collection, rentals) is { } local:
                        Report(report, forEach.Collection, local, rentals, "the foreach over it");
                        break;
                    case IInvocationOperation invocation when IsWholeArrayCall(invocation) && invocation.Arguments.Length > 0 && Rental(invocation.Arguments[0].Value, rentals) is { } local:
                        Report(report, invocation, local, rentals, "'" + invocation.TargetMethod.Name + "'");
                        break;
                    case IObjectCreationOperation { Arguments.Length: 1 } creation when KnownTypeNames.IsSpanOrMemory(creation.Type)
                                                                                   && Rental(creation.Arguments[0].Value, rentals) is { } local:
                        Report(report, creation, local, rentals, "'new " + creation.Type!.Name + "(...)'");
                        break;
                    case IConversionOperation { IsImplicit: true, Parent: IVariableInitializerOperation } conversion
                        when KnownTypeNames.IsSpanOrMemory(conversion.Type) && conversion.Operand is ILocalReferenceOperation && Rental(conversion.Operand, rentals) is { } local:
                        Report(report, conversion, local, rentals, "the conversion to " + conversion.Type!.Name);
                        break;
                }
            }
        }

        private static bool IsWholeArrayCall(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.Name is "AsSpan" or "AsMemory" && KnownTypeNames.MemoryExtensions.Matches(method.ContainingType))
            {
                return invocation.Arguments.Length == 1;
            }

            return method.ContainingType?.SpecialType == SpecialType.System_Array
                   && ((method.Name is "Clear" or "Sort" or "Reverse" && invocation.Arguments.Length == 1) || (method.Name == "Fill" && invocation.Arguments.Length == 2));
        }

        private static ILocalSymbol? Rental(IOperation? operation, Dictionary<ILocalSymbol, IInvocationOperation> rentals)
        {
            while (operation is IConversionOperation { IsImplicit: true } conversion && conversion.Operand.Type is IArrayTypeSymbol)
            {
                operation = conversion.Operand;
            }

            return operation is ILocalReferenceOperation reference && rentals.ContainsKey(reference.Local) ? reference.Local : null;
        }

        private static void Report(Action<Diagnostic> report, IOperation at, ILocalSymbol local, Dictionary<ILocalSymbol, IInvocationOperation> rentals, string what)
            => report(Diagnostic.Create(Descriptors.RentedLengthAssumed, at.Syntax.GetLocation(), local.Name, PoolApi.Describe(rentals[local]), what));
    }
}
