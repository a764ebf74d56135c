package dev.wireport.deploy;

import java.nio.file.Path;
import java.util.List;

import dev.wireport.deploy.ReadmeExamplesIT.Example;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The convention {@link ReadmeExamplesIT} reads the documentation by: which blocks are
 * run, and what {@code ...} lets through.
 */
class ConsoleExampleConventionTest {

	@Test
	void onlyConsoleBlocksAreRunEachCommandWithTheLinesAfterIt() {
		List<Example> examples = Example.parse(Path.of("page.md"),
				List.of("```sh", "$ not run", "```", "```console", "$ printf 'a\\nb\\n'", "a", "b", "$ true", "```",
						"```text", "$ not run either", "```", "```console", "$ echo x", "x", "```"));

		assertThat(examples).containsExactly(new Example(5, "printf 'a\\nb\\n'", List.of("a", "b")),
				new Example(8, "true", List.of()), new Example(14, "echo x", List.of("x")));
	}

	@Test
	void outputIsComparedLineByLineAndMustEndTheLastLine() {
		assertThat("a\nb\n").matches(ReadmeExamplesIT.pattern(List.of("a", "b")));
		assertThat("a\nb").doesNotMatch(ReadmeExamplesIT.pattern(List.of("a", "b")));
		assertThat("a\nb\nc\n").doesNotMatch(ReadmeExamplesIT.pattern(List.of("a", "b")));
		assertThat("").matches(ReadmeExamplesIT.pattern(List.of()));
		assertThat("(1+1) [x]\n").matches(ReadmeExamplesIT.pattern(List.of("(1+1) [x]")));
		assertThat("(11) [x]\n").doesNotMatch(ReadmeExamplesIT.pattern(List.of("(1+1) [x]")));
	}

	@Test
	void dotsStandForAnyTextWithinTheirLineOrAnyLinesWhenAlone() {
		List<String> within = List.of("date: ...", "rate: ... msg/s");
		assertThat("date: Tue, 01 Dec 2026\nrate: 25625 msg/s\n").matches(ReadmeExamplesIT.pattern(within));
		assertThat("date: \nrate:  msg/s\n").matches(ReadmeExamplesIT.pattern(within));
		assertThat("date: x\ny\nrate: 1 msg/s\n").doesNotMatch(ReadmeExamplesIT.pattern(within));

		List<String> alone = List.of("first", "...", "last");
		assertThat("first\nlast\n").matches(ReadmeExamplesIT.pattern(alone));
		assertThat("first\nx\ny\nlast\n").matches(ReadmeExamplesIT.pattern(alone));
		assertThat("first\nlast\nmore\n").doesNotMatch(ReadmeExamplesIT.pattern(alone));
	}

}
