from minutebook.cli.app import main

main()
