package io.courier.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/**
 * A subcommand of {@code courier-cli}: one command run once, for scripts. Picocli parses its
 * arguments; it becomes the same {@link Command} the shell would make, and runs the same way.
 */
@Command(mixinStandardHelpOptions = true)
abstract class Script implements Callable<Integer> {
    @ParentCommand
    Main main;

    /** The command; may throw {@link UsageException} for arguments picocli cannot check. */
    abstract io.courier.cli.Command command();

    @Override
    public Integer call() {
        return main.runOnce(this::command);
    }
}
