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
    internal sealed record Finding(string RuleId, string Message, string File, int Line, MethodName? Method, string? TypeName, string? AllocatedType = null);

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
                    if (!run.TryGetProperty("results", out var results))
                    {
                        continue;
                    }

                    foreach (var result in results.EnumerateArray())
                    {
                        string ruleId = result.TryGetProperty("ruleId", out var id) ? id.GetString() ?? string.Empty : string.Empty;
                        if (!ruleId.StartsWith("ALLOC", StringComparison.Ordinal) || !TryLocation(result, out string file, out int line))
                        {
                            continue;
                        }

                        string message = result.TryGetProperty("message", out var m) && m.TryGetProperty("text", out var t) ? t.GetString() ?? string.Empty : string.Empty;
                        if (!trees.TryGetValue(file, out var tree))
                        {
                            trees[file] = tree = System.IO.File.Exists(file) ? CSharpSyntaxTree.ParseText(System.IO.File.ReadAllText(file), path: file) : null;
                        }

                        var (method, type) = tree == null ? (null, null) : Containing(tree, line);
                        string? allocated = result.TryGetProperty("properties", out var properties) && properties.TryGetProperty("customProperties", out var custom)
                                            && custom.TryGetProperty("Type", out var typeProperty) ? typeProperty.GetString() : null;
                        findings.Add(new Finding(ruleId, message, file, line, method, type, allocated));
                    }
                }

                return findings.Distinct().ToList();
            }
        }

        private static bool TryLocation(JsonElement result, out string file, out int line)
        {
            file = string.Empty;
            line = 0;
            if (!result.TryGetProperty("locations", out var locations) || locations.GetArrayLength() == 0
                || !locations[0].TryGetProperty("physicalLocation", out var physical)
                || !physical.TryGetProperty("artifactLocation", out var artifact) || !artifact.TryGetProperty("uri", out var uri))
            {
                return false;
            }

            string text = uri.GetString() ?? string.Empty;
            file = Uri.TryCreate(text, UriKind.Absolute, out var absolute) && absolute.IsFile ? absolute.LocalPath : text;
            line = physical.TryGetProperty("region", out var region) && region.TryGetProperty("startLine", out var start) ? start.GetInt32() : 0;
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
