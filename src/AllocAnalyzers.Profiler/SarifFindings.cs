using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AllocAnalyzers.Profiler
{
    /// <summary>One AllocAnalyzers finding from a build's SARIF log, with the source method that contains it.</summary>
    /// <remarks>A finding outside any method body (a field, a type) has no <see cref="Method"/>, only its <see cref="TypeName"/>.</remarks>
    /// <remarks><see cref="AllocatedType"/> is what the finding claims is allocated, as the runtime names it (the diagnostic's <c>Type</c> property), when it names one.</remarks>
    /// <remarks><see cref="EndLine"/> is the last line of the finding's span (its first when the log gives none); <see cref="Claim"/> the diagnostic's <c>Claim</c> property (<c>MayBeRemoved</c>: the JIT may remove it).</remarks>
    internal sealed record Finding(string RuleId, string Message, string File, int Line, MethodName? Method, string? TypeName, string? AllocatedType = null, int EndLine = 0, string? Claim = null)
    {
        /// <summary>ALLOC1xx and ALLOC2xx: the findings that claim an allocation, which a profile can confirm.</summary>
        public bool ClaimsAllocation => RuleId.Length == 8 && RuleId.StartsWith("ALLOC", StringComparison.Ordinal) && RuleId[5] is '1' or '2';

        /// <summary>The key that finds this finding's result again in its SARIF log.</summary>
        public (string RuleId, string File, int Line, string Message) Key => (RuleId, File, Line, Message);
    }

    /// <summary>
    /// Reads the ALLOC findings of a SARIF 2.1 log (<c>dotnet build -p:ErrorLog=build.sarif%2Cversion=2.1</c>) and maps
    /// each to the method whose body contains it, by parsing the source file (no build needed).
    /// </summary>
    internal static class SarifFindings
    {
        public static IReadOnlyList<Finding> Read(string sarifPath)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(File.ReadAllText(sarifPath));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                throw new ProfilerException("cannot read the SARIF log '" + sarifPath + "': " + e.Message);
            }

            using (document)
            {
                if (!document.RootElement.TryGetProperty("runs", out var runs) || runs.ValueKind != JsonValueKind.Array)
                {
                    throw new ProfilerException("'" + sarifPath + "' is not a SARIF 2.1 log (no runs); build with -p:ErrorLog=build.sarif%2Cversion=2.1");
                }

                var findings = new List<Finding>();
                var trees = new Dictionary<string, SyntaxTree?>(StringComparer.Ordinal);
                foreach (var run in runs.EnumerateArray())
                {
                    if (!run.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (var result in results.EnumerateArray())
                    {
                        string ruleId = RuleIdOf(result);
                        if (!ruleId.StartsWith("ALLOC", StringComparison.Ordinal) || !TryLocation(result, out string file, out int line, out int endLine))
                        {
                            continue;
                        }

                        string message = MessageOf(result);
                        if (!trees.TryGetValue(file, out var tree))
                        {
                            trees[file] = tree = System.IO.File.Exists(file) ? CSharpSyntaxTree.ParseText(System.IO.File.ReadAllText(file), path: file) : null;
                        }

                        var (method, type) = tree == null ? (null, null) : Containing(tree, line);
                        findings.Add(new Finding(ruleId, message, file, line, method, type, CustomProperty(result, "Type"), endLine, CustomProperty(result, "Claim")));
                    }
                }

                return findings.Distinct().ToList();
            }
        }

        /// <summary>A result's rule id (empty when it has none).</summary>
        public static string RuleIdOf(JsonElement result)
            => result.TryGetProperty("ruleId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() ?? string.Empty : string.Empty;

        /// <summary>A result's message text (empty when it has none).</summary>
        public static string MessageOf(JsonElement result)
            => result.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object && message.TryGetProperty("text", out var text)
               && text.ValueKind == JsonValueKind.String ? text.GetString() ?? string.Empty : string.Empty;

        /// <summary>A diagnostic property, as Roslyn's SARIF log carries it (<c>properties.customProperties</c>).</summary>
        private static string? CustomProperty(JsonElement result, string name)
            => result.TryGetProperty("properties", out var properties) && properties.TryGetProperty("customProperties", out var custom)
               && custom.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        /// <summary>The file of a result's first location, as a local path, and the lines of its region.</summary>
        public static bool TryLocation(JsonElement result, out string file, out int line, out int endLine)
        {
            file = string.Empty;
            line = 0;
            endLine = 0;
            if (!result.TryGetProperty("locations", out var locations) || locations.ValueKind != JsonValueKind.Array || locations.GetArrayLength() == 0
                || !locations[0].TryGetProperty("physicalLocation", out var physical)
                || !physical.TryGetProperty("artifactLocation", out var artifact) || !artifact.TryGetProperty("uri", out var uri))
            {
                return false;
            }

            string text = uri.GetString() ?? string.Empty;
            file = Uri.TryCreate(text, UriKind.Absolute, out var absolute) && absolute.IsFile ? absolute.LocalPath : text;
            if (physical.TryGetProperty("region", out var region))
            {
                line = region.TryGetProperty("startLine", out var start) && start.TryGetInt32(out int first) ? first : 0;
                endLine = region.TryGetProperty("endLine", out var end) && end.TryGetInt32(out int last) ? last : line;
            }

            return file.Length > 0;
        }

        /// <summary>The method, constructor or accessor declaration whose span holds the line, named as the runtime would.</summary>
        private static (MethodName? Method, string? Type) Containing(SyntaxTree tree, int line)
        {
            var text = tree.GetText();
            if (line < 1 || line > text.Lines.Count)
            {
                return (null, null);
            }

            var span = text.Lines[line - 1].Span;
            var node = tree.GetRoot().FindNode(span, getInnermostNodeForTie: true);
            foreach (var ancestor in node.AncestorsAndSelf())
            {
                string? member = ancestor switch
                {
                    MethodDeclarationSyntax method => method.Identifier.ValueText,
                    ConstructorDeclarationSyntax constructor => constructor.Modifiers.Any(SyntaxKind.StaticKeyword) ? "#cctor" : "#ctor",
                    AccessorDeclarationSyntax { Parent.Parent: PropertyDeclarationSyntax property } accessor => accessor.Keyword.ValueText + "_" + property.Identifier.ValueText,
                    PropertyDeclarationSyntax { ExpressionBody: not null } property => "get_" + property.Identifier.ValueText,
                    OperatorDeclarationSyntax op => "op_" + op.OperatorToken.ValueText,
                    _ => null,
                };
                if (member != null)
                {
                    var method = MethodName.Create(TypeName(ancestor), member);
                    return (method, method.TypeName);
                }

                if (ancestor is BaseTypeDeclarationSyntax type)
                {
                    return (null, TypeName(type) is { Length: > 0 } outer ? outer + "." + type.Identifier.ValueText : type.Identifier.ValueText);
                }
            }

            return (null, null);
        }

        private static string TypeName(SyntaxNode member)
        {
            var parts = new List<string>();
            foreach (var ancestor in member.Ancestors())
            {
                switch (ancestor)
                {
                    case BaseTypeDeclarationSyntax type:
                        parts.Add(type.Identifier.ValueText);
                        break;
                    case BaseNamespaceDeclarationSyntax ns:
                        parts.Add(ns.Name.ToString());
                        break;
                }
            }

            parts.Reverse();
            return string.Join(".", parts);
        }
    }
}
