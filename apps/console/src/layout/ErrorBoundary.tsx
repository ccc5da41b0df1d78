import { Button, Result } from 'antd';
import { Component, ErrorInfo, ReactNode } from 'react';

interface Props {
  title: string;
  hint: string;
  retry: string;
  children: ReactNode;
}

/** A page that throws while rendering shows this instead of a blank console. */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('console page crashed', error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Result
        status="error"
        title={this.props.title}
        subTitle={this.props.hint}
        extra={
          <Button type="primary" onClick={() => this.setState({ error: null })}>
            {this.props.retry}
          </Button>
        }
      />
    );
  }
}
