// Command-line option parsing.
