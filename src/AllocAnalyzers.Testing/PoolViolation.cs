using System.Text;

namespace AllocAnalyzers.Testing
{
    /// <summary>One misuse of a strict pool, with the stacks that explain it.</summary>
    public sealed class PoolViolation
    {
        private const string HelpLinkBase = "https://github.com/AllocAnalyzers/AllocAnalyzers/blob/main/docs/rules/";

        internal PoolViolation(PoolViolationKind kind, string message, string? offendingStack, string? rentStack, string? returnStack)
        {
            Kind = kind;
            Message = message;
            OffendingStack = offendingStack;
            RentStack = rentStack;
            ReturnStack = returnStack;
        }

        /// <summary>What went wrong.</summary>
        public PoolViolationKind Kind { get; }

        /// <summary>The AllocAnalyzers rule this is the run-time check of (ALLOC401 to ALLOC406).</summary>
        public string RuleId => Kind switch
        {
            PoolViolationKind.NotReturned => "ALLOC401",
            PoolViolationKind.ReturnedTwice => "ALLOC402",
            PoolViolationKind.UsedAfterReturn => "ALLOC403",
            PoolViolationKind.NotFromThisPool => "ALLOC404",
            _ => "ALLOC406",
        };

        /// <summary>The rule's docs page.</summary>
        public string HelpLink => HelpLinkBase + RuleId + ".md";

        /// <summary>One sentence: which item, which pool, what happened.</summary>
        public string Message { get; }

        /// <summary>Where the misuse was seen (the second Return, the Rent that found the poison overwritten); null when stacks are off.</summary>
        public string? OffendingStack { get; }

        /// <summary>Where the item was rented; null when stacks are off or the pool never rented it.</summary>
        public string? RentStack { get; }

        /// <summary>Where the item was (first) returned; null when it was not, or stacks are off.</summary>
        public string? ReturnStack { get; }

        /// <summary>The message, each known stack under its heading, and the rule's docs page.</summary>
        public override string ToString()
        {
            var text = new StringBuilder().Append(RuleId).Append(": ").Append(Message).AppendLine();
            Section(text, Kind switch
            {
                PoolViolationKind.ReturnedTwice => "Returned again at",
                PoolViolationKind.UsedAfterReturn => "Found at",
                _ => "Returned at",
            }, OffendingStack);
            Section(text, Kind switch
            {
                PoolViolationKind.ReturnedTwice => "First returned at",
                PoolViolationKind.NotFromThisPool => "Last returned to its own pool at",
                _ => "Returned at",
            }, ReturnStack);
            Section(text, Kind == PoolViolationKind.NotFromThisPool ? "Rented from its own pool at" : "Rented at", RentStack);
            return text.Append("See ").Append(HelpLink).ToString();
        }

        private static void Section(StringBuilder text, string heading, string? stack)
        {
            if (stack != null)
            {
                text.Append(heading).AppendLine(":").Append(stack);
            }
        }
    }
}
