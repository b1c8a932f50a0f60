from tunebench.harness.cli import main

main()
