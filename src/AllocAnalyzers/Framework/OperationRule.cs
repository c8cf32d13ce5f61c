using System.Collections.Immutable;

namespace AllocAnalyzers
{
    /// <summary>
    /// One rule of a family: the diagnostics it reports and its checks by operation kind. The family's analyzer decides
    /// once per block whether to look at it (hot code, a size limit, ...) and hands the rule that decision as
    /// <typeparamref name="TScope"/>; every rule of the family then runs from one operation action (see
    /// <see cref="OperationRuleSet{TScope}"/>).
    /// </summary>
    internal abstract class OperationRule<TScope>
    {
        public abstract ImmutableArray<Microsoft.CodeAnalysis.DiagnosticDescriptor> SupportedDiagnostics { get; }

        /// <summary>Adds the rule's checks, each for the operation kinds it looks at.</summary>
        public abstract void AddChecks(OperationChecks<TScope> checks);
    }
}
