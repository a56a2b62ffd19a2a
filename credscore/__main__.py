from credscore.cli import main

main()
