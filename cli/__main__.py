from cli.main import run

# Guarded: a worker process (projections.feed) imports the main module again.
if __name__ == "__main__":
    run()
