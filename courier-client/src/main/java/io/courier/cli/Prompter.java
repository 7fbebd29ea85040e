package io.courier.cli;

/** Asks for what was left out of a command: a password, so that it need not be typed where others see it. */
@FunctionalInterface
interface Prompter {
    String password(String prompt);
}
