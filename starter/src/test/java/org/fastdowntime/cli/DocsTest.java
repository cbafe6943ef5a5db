package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The documentation cannot drift from the commands: the CLI reference is generated from picocli's own model (run
 * with {@code -Dfastdowntime.writeDocs=true} to write it again), every {@code ./fastdowntime} command printed in
 * the README and the docs parses as the commands define it, and the README fits on a screen.
 */
@Tag("unit")
class DocsTest {
    static final Path ROOT = GettingStartedTest.ROOT;

    @Test
    void theCliReferenceIsTheCommandsOwnHelp() throws Exception {
        String generated = cliReference();
        Path file = ROOT.resolve("docs/reference/cli.md");
        if (Boolean.getBoolean("fastdowntime.writeDocs")) {
            Files.writeString(file, generated);
        }
        assertTrue(Files.exists(file), "docs/reference/cli.md: run this test with -Dfastdowntime.writeDocs=true");
        assertEquals(
                generated,
                Files.readString(file),
                "docs/reference/cli.md is stale: run this test with -Dfastdowntime.writeDocs=true");
    }

    /** Every command and subcommand: its name, then its help as the command prints it. */
    static String cliReference() {
        StringBuilder b = new StringBuilder("# The CLI reference\n\n");
        b.append(
                "Generated from the commands themselves (`DocsTest` checks it is current): each command's `--help`.\n");
        b.append("Every command also takes `-h`/`--help` and `-V`/`--version`.\n");
        CommandLine main = Main.commandLine();
        describe(b, main, "fastdowntime");
        return b.toString();
    }

    private static void describe(StringBuilder b, CommandLine cl, String path) {
        cl.getCommandSpec().usageMessage().width(100);
        b.append("\n## `").append(path).append("`\n\n```text\n");
        b.append(cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
        for (CommandLine sub : cl.getSubcommands().values().stream().distinct().toList()) {
            if (sub.getCommand() instanceof CommandLine.HelpCommand) {
                continue;
            }
            describe(b, sub, path + " " + sub.getCommandName());
        }
    }

    @Test
    void everyCommandInTheDocsParses() throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs()) {
            for (String line : shellLines(Files.readString(doc))) {
                Matcher m = Pattern.compile("\\./fastdowntime (.*)").matcher(line);
                if (!m.find()) {
                    continue;
                }
                List<String> args = words(m.group(1));
                if (args.isEmpty() || args.get(0).equals("test")) {
                    continue; // the launcher's own: it runs the tests
                }
                checked++;
                try {
                    Main.commandLine(args.toArray(String[]::new)).parseArgs(args.toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    problems.add(ROOT.relativize(doc) + ": " + line.strip() + "\n    " + e.getMessage());
                }
            }
        }
        assertTrue(checked > 40, "the docs print commands: " + checked);
        if (!problems.isEmpty()) {
            fail("commands in the docs that do not parse:\n" + String.join("\n", problems));
        }
    }

    @Test
    void theReadmeFitsOnAScreenAndLinksTheDocs() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(
                readme.lines().count() <= 50,
                "the README is about one screen: " + readme.lines().count());
        Matcher link = Pattern.compile("\\]\\(([^)#]+)\\)").matcher(readme);
        int links = 0;
        while (link.find()) {
            links++;
            assertTrue(Files.exists(ROOT.resolve(link.group(1))), "the README links to " + link.group(1));
        }
        assertTrue(links >= 8, "the README links the docs: " + links);
    }

    static List<Path> docs() throws Exception {
        try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
            List<Path> out = new ArrayList<>(
                    files.filter(f -> f.toString().endsWith(".md")).sorted().toList());
            out.add(0, ROOT.resolve("README.md"));
            return out;
        }
    }

    /** The lines of the {@code sh} blocks, continuation lines joined. */
    static List<String> shellLines(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            for (String line : m.group(1).replace("\\\n", " ").split("\n")) {
                out.add(line);
            }
        }
        return out;
    }

    /** A command line's words as the shell splits them: quotes kept together, a comment or a redirection ends it. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher w =
                Pattern.compile("'([^']*)'|\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)").matcher(line);
        while (w.find()) {
            String word = w.group(1) != null ? w.group(1) : w.group(2) != null ? w.group(2) : w.group(3);
            if (w.group(3) != null && (word.startsWith("#") || word.matches("[0-9]?>.*|<.*|&|&&|\\||;|\\)"))) {
                break;
            }
            words.add(word.replaceAll("\\)$", ""));
        }
        return words;
    }
}
